/// Calendar arithmetic without Foundation.
enum CivilTime {
    static let nanosPerSecond: Int64 = 1_000_000_000
    static let nanosPerDay: Int64 = 86_400 * nanosPerSecond

    /// Years whose nanosecond times fit an `Int64` (with a day to spare for zone offsets): 1678–2261.
    /// Dates outside are not taken for times (they overflow, and no log is from then).
    @inline(__always)
    static func isSupported(year: Int) -> Bool { year >= 1678 && year <= 2261 }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    /// — source: Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The year of a time in nanoseconds since the epoch (UTC), for year-less syslog stamps.
    static func year(ofNanos nanos: Int64) -> Int {
        // civil_from_days, keeping only the year.
        let days = Int(nanos >= 0 ? nanos / nanosPerDay : (nanos - nanosPerDay + 1) / nanosPerDay) + 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// Month number (1–12) of a three-letter English abbreviation in any case.
    static func month(_ first: UInt8, _ second: UInt8, _ third: UInt8) -> Int? {
        let key = UInt32(LogBytes.lowercased(first)) << 16 | UInt32(LogBytes.lowercased(second)) << 8
            | UInt32(LogBytes.lowercased(third))
        switch key {
        case 0x6A_616E: return 1  // jan
        case 0x66_6562: return 2  // feb
        case 0x6D_6172: return 3  // mar
        case 0x61_7072: return 4  // apr
        case 0x6D_6179: return 5  // may
        case 0x6A_756E: return 6  // jun
        case 0x6A_756C: return 7  // jul
        case 0x61_7567: return 8  // aug
        case 0x73_6570: return 9  // sep
        case 0x6F_6374: return 10  // oct
        case 0x6E_6F76: return 11  // nov
        case 0x64_6563: return 12  // dec
        default: return nil
        }
    }
}
