// Vite's `?raw` imports (fixture files as strings) in tests.
declare module "*?raw" {
  const text: string;
  export default text;
}
