// Validity times (UTCTime, GeneralizedTime) read three ways: as RFC 5280 4.1.2.5 allows them, as
// Go's parser reads them, and as OpenSSL reads them. The verdicts follow Go; OpenSSL's reading
// only gives a date to show when Go refuses the encoding.

/** RFC 5280 4.1.2.5: UTCTime YYMMDDHHMMSSZ, GeneralizedTime YYYYMMDDHHMMSSZ (years 2050 and later only). */
export function rfc5280Time(tag: number, text: string): boolean {
  if (tag === 0x17) return /^\d{12}Z$/.test(text);
  return tag === 0x18 && /^\d{14}Z$/.test(text) && Number(text.slice(0, 4)) >= 2050;
}

/**
 * GeneralizedTime YYYYMMDDHHMMSSZ for a year before 2050. RFC 5280 4.1.2.5 tells CAs to use
 * UTCTime there, but it is a well-formed time: path validation reads it (NIST PKITS 4.2.4
 * "Valid GeneralizedTime notBefore Date Test4" is valid) and so do Go and OpenSSL.
 */
export function generalizedTimeBefore2050(tag: number, text: string): boolean {
  return tag === 0x18 && /^\d{14}Z$/.test(text) && Number(text.slice(0, 4)) < 2050;
}

/** Days in a month of the proleptic Gregorian calendar (what Go's time package and OpenSSL use). */
function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * A UTC instant from calendar fields already in range (fieldsValid), years 0-9999: the day number
 * by H. Hinnant's days_from_civil (proleptic Gregorian, as Date.UTC computes it, without Date.UTC's
 * mapping of years 0-99 to 1900-1999), which costs less than Date.UTC in workerd's profile.
 */
function utcDate(year: number, month: number, day: number, h: number, mi: number, s: number, offsetMinutes: number): Date {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const days = era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
  return new Date(days * 86_400_000 + ((h * 60 + mi) * 60 + s) * 1000 - offsetMinutes * 60_000);
}

interface TimeFields {
  year: number;
  month: number;
  day: number;
  h: number;
  mi: number;
  s: number;
  offsetMinutes: number;
}

function fieldsValid(f: TimeFields): boolean {
  return f.month >= 1 && f.month <= 12 && f.day >= 1 && f.day <= daysIn(f.year, f.month) && f.h <= 23 && f.mi <= 59 && f.s <= 59;
}

/**
 * The time as Go reads it (golang.org/x/crypto/cryptobyte asn1.go ReadASN1UTCTime and
 * ReadASN1GeneralizedTime): time.Parse with "060102150405Z0700" (UTCTime, falling back to the
 * minute-precision "0601021504Z0700") or "20060102150405Z0700", then the text must be exactly
 * what time.Format prints back. So seconds are optional in UTCTime only, a numeric offset is
 * accepted and applied, "+0000" is refused (Format prints "Z"), fractional seconds are refused
 * (Format drops them), and out-of-range fields are refused. UTCTime years 50-99 are 1950-1999.
 */
export function goTime(tag: number, text: string): Date | null {
  const m =
    tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/.exec(text)
      : tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|[+-]\d{4})$/.exec(text)
        : null;
  if (!m) return null;
  let year = Number(m[1]);
  if (tag === 0x17) year += year >= 50 ? 1900 : 2000;
  const zone = m[7]!;
  let offsetMinutes = 0;
  if (zone !== "Z") {
    const hh = Number(zone.slice(1, 3));
    const mm = Number(zone.slice(3, 5));
    // time.Format prints the offset back as hours and minutes: minutes >= 60 and a zero offset do not round-trip.
    if (mm >= 60 || hh * 60 + mm === 0) return null;
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (hh * 60 + mm);
  }
  return dateOf(year, m, offsetMinutes);
}

/** The instant of matched date fields (month to seconds in groups 2-6), or null when they are out of range. */
function dateOf(year: number, m: RegExpExecArray, offsetMinutes: number): Date | null {
  const f: TimeFields = {
    year,
    month: Number(m[2]),
    day: Number(m[3]),
    h: Number(m[4]),
    mi: Number(m[5]),
    s: Number(m[6] ?? "0"),
    offsetMinutes,
  };
  return fieldsValid(f) ? utcDate(f.year, f.month, f.day, f.h, f.mi, f.s, f.offsetMinutes) : null;
}

/**
 * The time as OpenSSL 3 reads it (crypto/asn1/a_time.c ossl_asn1_time_to_tm, non-strict mode,
 * what `openssl x509 -dates` prints): seconds optional, fractional seconds in GeneralizedTime
 * only (ignored), offsets up to 12 hours applied. Used only to show a date when Go refuses one.
 */
export function opensslTime(tag: number, text: string): Date | null {
  const m =
    tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?()(Z|[+-]\d{4})$/.exec(text)
      : tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(?:(\d{2})(\.\d+)?)?(Z|[+-]\d{4})$/.exec(text)
        : null;
  if (!m) return null;
  let year = Number(m[1]);
  if (tag === 0x17) year += year >= 50 ? 1900 : 2000;
  const zone = m[8]!;
  let offsetMinutes = 0;
  if (zone !== "Z") {
    const hh = Number(zone.slice(1, 3));
    const mm = Number(zone.slice(3, 5));
    if (hh > 12 || mm > 59) return null;
    offsetMinutes = (zone[0] === "-" ? -1 : 1) * (hh * 60 + mm);
  }
  return dateOf(year, m, offsetMinutes);
}
