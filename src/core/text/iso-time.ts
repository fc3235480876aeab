// A Date as the report writes it: toISOString() without ".000" for whole seconds. The common
// case (whole seconds, years 0-9999) is spelled from the time value by civil-from-days
// arithmetic (H. Hinnant's days_from_civil inverse), which costs a third of toISOString and the
// replace in workerd's profile of a trust store; anything else goes to toISOString as before.

const PAD2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));
const DAY = 86_400_000;
const MIN_MS = -62_167_219_200_000; // 0000-01-01T00:00:00Z
const MAX_MS = 253_402_300_800_000; // 10000-01-01T00:00:00Z

export function isoSeconds(d: Date): string {
  const t = d.getTime();
  if (!(t >= MIN_MS && t < MAX_MS) || t % 1000 !== 0) return d.toISOString().replace(".000Z", "Z");
  const days = Math.floor(t / DAY);
  const secs = (t - days * DAY) / 1000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  return `${PAD2[Math.floor(year / 100)]}${PAD2[year % 100]}-${PAD2[month]}-${PAD2[day]}T${PAD2[h]}:${PAD2[m]}:${PAD2[secs % 60]}Z`;
}
