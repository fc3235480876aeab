// Node only: what the core writes to the console or as a process warning while a fuzz case runs.

/**
 * Catches anything the core writes to the console or as a process warning while a case runs: the
 * Worker's log is an output channel too, and input text must not reach it (a library warning
 * quoting a hostile YAML key would).
 */
export function trapLogs(into: string[]): () => void {
  const c = console as unknown as Record<string, (...a: unknown[]) => void>;
  const names = ["log", "info", "warn", "error", "debug"];
  const saved = names.map((n) => c[n]!);
  const emit = process.emitWarning;
  for (const n of names) c[n] = (...a: unknown[]) => void into.push(`console.${n}: ${a.map(String).join(" ")}`);
  process.emitWarning = ((w: unknown) =>
    void into.push(`process warning: ${String(w instanceof Error ? w.message : w)}`)) as typeof process.emitWarning;
  return () => {
    for (const [i, n] of names.entries()) c[n] = saved[i]!;
    process.emitWarning = emit;
  };
}
