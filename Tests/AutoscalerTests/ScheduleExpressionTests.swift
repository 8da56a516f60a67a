import Autoscaler
import Testing

@Suite("Schedule expressions")
struct ScheduleExpressionTests {
    static func time(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0) -> Instant {
        CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second).instant
    }

    @Test("UTC calendar conversion round-trips and knows weekdays")
    func civilTime() {
        #expect(Self.time(1970, 1, 1).secondsSinceEpoch == 0)
        #expect(Self.time(2026, 11, 22, 10, 15).secondsSinceEpoch == 1_795_342_500)
        let leap = CivilTime(instant: Self.time(2028, 2, 29, 23, 59, 59))
        #expect(leap == CivilTime(year: 2028, month: 2, day: 29, hour: 23, minute: 59, second: 59))
        #expect(CivilTime(year: 2026, month: 11, day: 22).weekday == 1)  // a Sunday
        #expect(CivilTime(year: 1970, month: 1, day: 1).weekday == 5)    // a Thursday
        #expect(CivilTime(instant: Self.time(2026, 3, 1)).iso8601 == "2026-03-01T00:00:00Z")
    }

    @Test("at() fires once at its time")
    func at() throws {
        let expression = try ScheduleExpression(parsing: "at(2026-12-01T08:30:00)")
        let fire = Self.time(2026, 12, 1, 8, 30)
        #expect(expression == .at(fire))
        #expect(expression.lastFire(after: fire.advanced(by: -1), through: fire, anchor: fire) == fire)
        #expect(expression.lastFire(after: fire, through: fire.advanced(by: 60), anchor: fire) == nil)
        #expect(expression.nextFire(after: fire, anchor: fire) == nil)
    }

    @Test("rate() fires every interval from its anchor")
    func rate() throws {
        #expect(try ScheduleExpression(parsing: "rate(1 minute)") == .rate(seconds: 60))
        #expect(try ScheduleExpression(parsing: "rate(5 minutes)") == .rate(seconds: 300))
        #expect(try ScheduleExpression(parsing: "rate(2 hours)") == .rate(seconds: 7200))
        #expect(try ScheduleExpression(parsing: "rate(1 day)") == .rate(seconds: 86_400))
        let anchor = Self.time(2026, 1, 1)
        let expression = ScheduleExpression.rate(seconds: 300)
        #expect(expression.nextFire(after: anchor, anchor: anchor) == anchor.advanced(by: 300))
        #expect(expression.lastFire(after: anchor.advanced(by: 299), through: anchor.advanced(by: 300), anchor: anchor)
            == anchor.advanced(by: 300))
        #expect(expression.lastFire(after: anchor.advanced(by: 300), through: anchor.advanced(by: 301), anchor: anchor) == nil)
        #expect(expression.lastFire(after: anchor, through: anchor.advanced(by: 1000), anchor: anchor) == anchor.advanced(by: 900))
    }

    @Test("cron() with six fields fires on matching minutes, UTC")
    func cron() throws {
        // 08:00 on weekdays.
        let weekdays = try ScheduleExpression(parsing: "cron(0 8 ? * MON-FRI *)")
        let sunday = Self.time(2026, 11, 22, 12)
        #expect(weekdays.nextFire(after: sunday, anchor: sunday) == Self.time(2026, 11, 23, 8))
        let mondayEight = Self.time(2026, 11, 23, 8)
        #expect(weekdays.nextFire(after: mondayEight, anchor: sunday) == Self.time(2026, 11, 24, 8))
        // Every 15 minutes.
        let quarter = try ScheduleExpression(parsing: "cron(0/15 * * * ? *)")
        #expect(quarter.nextFire(after: Self.time(2026, 5, 5, 10, 14, 59), anchor: sunday) == Self.time(2026, 5, 5, 10, 15))
        #expect(quarter.nextFire(after: Self.time(2026, 5, 5, 10, 15), anchor: sunday) == Self.time(2026, 5, 5, 10, 30))
        // Last day of the month, in a given year only.
        let last = try ScheduleExpression(parsing: "cron(30 23 L FEB ? 2028)")
        #expect(last.nextFire(after: sunday, anchor: sunday) == Self.time(2028, 2, 29, 23, 30))
        // Lists and ranges.
        let list = try ScheduleExpression(parsing: "cron(5,10 9-10 1 JAN,JUL ? *)")
        #expect(list.nextFire(after: Self.time(2026, 1, 1, 10, 10), anchor: sunday) == Self.time(2026, 7, 1, 9, 5))
        // lastFire finds the run in the last second.
        #expect(weekdays.lastFire(after: mondayEight.advanced(by: -1), through: mondayEight, anchor: sunday) == mondayEight)
        #expect(weekdays.lastFire(after: mondayEight, through: mondayEight.advanced(by: 1), anchor: sunday) == nil)
    }

    @Test("Malformed expressions are refused with what is wrong", arguments: [
        ("every(5 minutes)", ScheduleExpressionError.unknownForm("every(5 minutes)")),
        ("at(2026-13-01T00:00:00)", .invalidAt("at(2026-13-01T00:00:00)")),
        ("at(2026-02-30T00:00:00)", .invalidAt("at(2026-02-30T00:00:00)")),
        ("rate(0 minutes)", .invalidRate("rate(0 minutes)")),
        ("rate(5 weeks)", .invalidRate("rate(5 weeks)")),
        ("cron(0 8 * * *)", .cronFieldCount(5)),
        ("cron(0 8 * * MON *)", .cronDayFields),
        ("cron(0 8 ? * ? *)", .cronDayFields),
        ("cron(60 8 * * ? *)", .invalidCronField(field: "minutes", value: "60")),
        ("cron(0 8 ? * 2#1 *)", .unsupportedCron("2#1")),
    ])
    func refusals(text: String, expected: ScheduleExpressionError) {
        #expect(throws: expected) { try ScheduleExpression(parsing: text) }
    }
}
