/// An AWS cron expression: `minutes hours day-of-month month day-of-week year`, evaluated in
/// UTC. Fields take `*`, values, `a-b` ranges, `/step`, comma lists and names (`JAN`,
/// `MON`); day-of-week counts 1 = Sunday ... 7 = Saturday; exactly one of day-of-month and
/// day-of-week is `?`; `L` in day-of-month is the month's last day.
public struct CronExpression: Sendable, Hashable {
    static let monthNames = ["JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
                             "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12]
    static let dayNames = ["SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7]
    static let years = 1970...2199

    let minutes: CronField
    let hours: CronField
    let daysOfMonth: CronField
    let months: CronField
    let daysOfWeek: CronField
    let yearField: CronField

    /// Parses the text between `cron(` and `)`.
    public init(fields text: String) throws(ScheduleExpressionError) {
        let fields = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard fields.count == 6 else { throw .cronFieldCount(fields.count) }
        minutes = try CronField.parse(fields[0], name: "minutes", range: 0...59)
        hours = try CronField.parse(fields[1], name: "hours", range: 0...23)
        daysOfMonth = try CronField.parse(fields[2], name: "day-of-month", range: 1...31, allowsUnspecified: true, allowsLast: true)
        months = try CronField.parse(fields[3], name: "month", range: 1...12, names: Self.monthNames)
        daysOfWeek = try CronField.parse(fields[4], name: "day-of-week", range: 1...7, names: Self.dayNames, allowsUnspecified: true)
        yearField = try CronField.parse(fields[5], name: "year", range: Self.years)
        guard daysOfMonth.isUnspecified != daysOfWeek.isUnspecified else { throw .cronDayFields }
    }

    /// The first minute strictly after `time` the expression matches, or nil if none (the
    /// year field has no later year).
    public func nextFire(after time: Instant) -> Instant? {
        let start = CivilTime(instant: time.advanced(by: 60 - time.secondsSinceEpoch.truncatingRemainder(dividingBy: 60)))
        for year in yearField.values.sorted() where year >= start.year {
            for month in months.values.sorted() where (year, month) >= (start.year, start.month) {
                let days = CivilTime.daysInMonth(year: year, month: month)
                for day in 1...days {
                    let date = CivilTime(year: year, month: month, day: day)
                    if (year, month, day) < (start.year, start.month, start.day) { continue }
                    guard dayMatches(date, daysInMonth: days) else { continue }
                    let sameDay = (year, month, day) == (start.year, start.month, start.day)
                    for hour in hours.values.sorted() where !sameDay || hour >= start.hour {
                        for minute in minutes.values.sorted() {
                            if sameDay && hour == start.hour && minute < start.minute { continue }
                            return CivilTime(year: year, month: month, day: day, hour: hour, minute: minute).instant
                        }
                    }
                }
            }
        }
        return nil
    }

    private func dayMatches(_ date: CivilTime, daysInMonth: Int) -> Bool {
        if !daysOfMonth.isUnspecified {
            return daysOfMonth.values.contains(date.day) || (daysOfMonth.lastDayOfMonth && date.day == daysInMonth)
        }
        return daysOfWeek.matches(date.weekday)
    }
}
