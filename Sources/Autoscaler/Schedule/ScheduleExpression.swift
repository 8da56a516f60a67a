/// When a scheduled action runs, as AWS writes it: `at(yyyy-mm-ddThh:mm:ss)` once,
/// `rate(value unit)` repeatedly, `cron(fields)` on a calendar (see ``CronExpression``).
/// Times are UTC.
public enum ScheduleExpression: Sendable, Hashable {
    /// Once, at this instant.
    case at(Instant)
    /// Every `seconds`, counted from the action's anchor (its StartTime, else its creation).
    case rate(seconds: Int)
    case cron(CronExpression)

    /// The most calendar matches looked at when catching up on missed runs.
    static let maximumCatchUpFires = 10_000

    /// Parses an expression as the API receives it.
    public init(parsing text: String) throws(ScheduleExpressionError) {
        let trimmed = text.trimmingSpaces
        guard trimmed.hasSuffix(")"), let open = trimmed.firstIndex(of: "(") else { throw .unknownForm(text) }
        let kind = trimmed[..<open]
        let argument = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]).trimmingSpaces
        switch kind {
        case "at": self = .at(try Self.parseAt(argument, text))
        case "rate": self = .rate(seconds: try Self.parseRate(argument, text))
        case "cron": self = .cron(try CronExpression(fields: argument))
        default: throw .unknownForm(text)
        }
    }

    /// The latest time in `(after, through]` at which the expression fires, for an action
    /// anchored at `anchor`; nil when it does not fire in that span.
    public func lastFire(after start: Instant, through end: Instant, anchor: Instant) -> Instant? {
        guard end > start else { return nil }
        switch self {
        case .at(let time):
            return time > start && time <= end ? time : nil
        case .rate(let seconds):
            let interval = Double(seconds)
            let elapsed = end.seconds(since: anchor)
            guard elapsed >= interval else { return nil }
            let fire = anchor.advanced(by: (elapsed / interval).rounded(.down) * interval)
            return fire > start ? fire : nil
        case .cron(let cron):
            var latest: Instant?
            var cursor = start
            for _ in 0..<Self.maximumCatchUpFires {
                guard let next = cron.nextFire(after: cursor), next <= end else { break }
                latest = next
                cursor = next
            }
            return latest
        }
    }

    /// The first time after `time` the expression fires (nil: never again).
    public func nextFire(after time: Instant, anchor: Instant) -> Instant? {
        switch self {
        case .at(let at):
            return at > time ? at : nil
        case .rate(let seconds):
            let interval = Double(seconds)
            let elapsed = time.seconds(since: anchor)
            let periods = elapsed < interval ? 1 : (elapsed / interval).rounded(.down) + 1
            return anchor.advanced(by: periods * interval)
        case .cron(let cron):
            return cron.nextFire(after: time)
        }
    }

    private static func parseAt(_ argument: String, _ text: String) throws(ScheduleExpressionError) -> Instant {
        // yyyy-mm-ddThh:mm:ss
        let bytes = Array(argument.utf8)
        guard bytes.count == 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":")
        else { throw .invalidAt(text) }
        func number(_ range: Range<Int>) -> Int? {
            guard bytes[range].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
            return Int(String(decoding: bytes[range], as: UTF8.self))
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), day >= 1, day <= CivilTime.daysInMonth(year: year, month: month),
              hour < 24, minute < 60, second < 60
        else { throw .invalidAt(text) }
        return CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second).instant
    }

    private static func parseRate(_ argument: String, _ text: String) throws(ScheduleExpressionError) -> Int {
        let parts = argument.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let value = Int(parts[0]), value > 0, value <= 1_000_000 else { throw .invalidRate(text) }
        let unitSeconds: Int
        switch parts[1] {
        case "minute", "minutes": unitSeconds = 60
        case "hour", "hours": unitSeconds = 3600
        case "day", "days": unitSeconds = 86_400
        default: throw .invalidRate(text)
        }
        return value * unitSeconds
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
