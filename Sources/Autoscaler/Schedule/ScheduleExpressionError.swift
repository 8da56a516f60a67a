/// Why a schedule expression is refused; the description is the API's message.
public enum ScheduleExpressionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not `at(...)`, `rate(...)` or `cron(...)`.
    case unknownForm(String)
    /// `at()` whose time is not `yyyy-mm-ddThh:mm:ss`.
    case invalidAt(String)
    /// `rate()` without a positive whole value and a unit of minute(s), hour(s) or day(s).
    case invalidRate(String)
    /// `cron()` without six fields.
    case cronFieldCount(Int)
    /// A cron field that does not parse, or a value out of its range.
    case invalidCronField(field: String, value: String)
    /// Day-of-month and day-of-week both given or both `?`.
    case cronDayFields
    /// Cron syntax Wharf does not implement (`W`, `#`, `L` in day-of-week).
    case unsupportedCron(String)

    public var description: String {
        switch self {
        case .unknownForm(let text):
            return "Schedule expression '\(text)' must be at(yyyy-mm-ddThh:mm:ss), rate(value unit) or cron(fields)"
        case .invalidAt(let text):
            return "at() expression '\(text)' must have the form at(yyyy-mm-ddThh:mm:ss)"
        case .invalidRate(let text):
            return "rate() expression '\(text)' must have the form rate(value unit) with a positive value and a unit of minute(s), hour(s) or day(s)"
        case .cronFieldCount(let count):
            return "cron() expression must have 6 fields (minutes hours day-of-month month day-of-week year), got \(count)"
        case .invalidCronField(let field, let value):
            return "cron() field \(field) has an invalid value '\(value)'"
        case .cronDayFields:
            return "cron() expression must give exactly one of day-of-month and day-of-week; the other must be '?'"
        case .unsupportedCron(let token):
            return "cron() syntax '\(token)' is not supported by Wharf"
        }
    }
}
