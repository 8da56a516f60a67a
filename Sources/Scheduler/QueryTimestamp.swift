/// The date formats `registeredAt` takes, turned into seconds since the Unix epoch:
/// `2018-06-18T22:28:28+00:00`, `2018-06-18T22:28:28Z`, `2018-06-18T22:28:28` (UTC),
/// `2018-06-18` (midnight UTC). Fractional seconds are accepted and dropped.
enum QueryTimestamp {
    static func parse(_ text: String) -> Int64? {
        var reader = DigitReader(Array(text.unicodeScalars))
        guard let year = reader.number(digits: 4), reader.take("-"),
            let month = reader.number(digits: 2), reader.take("-"),
            let day = reader.number(digits: 2),
            (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month)
        else { return nil }
        var seconds = daysFromCivil(year: year, month: month, day: day) * 86_400
        if reader.atEnd { return seconds }
        guard reader.take("T") || reader.take("t"),
            let hour = reader.number(digits: 2), reader.take(":"),
            let minute = reader.number(digits: 2), reader.take(":"),
            let second = reader.number(digits: 2),
            hour < 24, minute < 60, second < 60
        else { return nil }
        seconds += Int64(hour * 3600 + minute * 60 + second)
        if reader.take(".") {
            guard reader.skipDigits() > 0 else { return nil }
        }
        if reader.atEnd { return seconds }
        if reader.take("Z") || reader.take("z") { return reader.atEnd ? seconds : nil }
        let sign: Int64
        if reader.take("+") { sign = 1 } else if reader.take("-") { sign = -1 } else { return nil }
        guard let offsetHours = reader.number(digits: 2) else { return nil }
        _ = reader.take(":")
        guard let offsetMinutes = reader.number(digits: 2), reader.atEnd, offsetHours < 24, offsetMinutes < 60 else { return nil }
        // 22:28+02:00 is 20:28 UTC.
        return seconds - sign * Int64(offsetHours * 3600 + offsetMinutes * 60)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private struct DigitReader {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var atEnd: Bool { index == scalars.count }

        mutating func take(_ scalar: Unicode.Scalar) -> Bool {
            guard index < scalars.count, scalars[index] == scalar else { return false }
            index += 1
            return true
        }

        mutating func number(digits: Int) -> Int? {
            guard index + digits <= scalars.count else { return nil }
            var value = 0
            for offset in 0..<digits {
                guard let digit = OrderedValue.digitValue(scalars[index + offset]) else { return nil }
                value = value * 10 + digit
            }
            index += digits
            return value
        }

        mutating func skipDigits() -> Int {
            let start = index
            while index < scalars.count, OrderedValue.digitValue(scalars[index]) != nil { index += 1 }
            return index - start
        }
    }
}
