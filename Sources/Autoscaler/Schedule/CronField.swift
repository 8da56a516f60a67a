/// One parsed field of an AWS cron expression: the set of values it matches.
struct CronField: Sendable, Hashable {
    /// The values matched (empty with ``lastDayOfMonth`` alone).
    var values: Set<Int>
    /// `?`: the field places no constraint (day-of-month or day-of-week only).
    var isUnspecified: Bool
    /// `L` in day-of-month: the month's last day.
    var lastDayOfMonth: Bool

    func matches(_ value: Int) -> Bool { isUnspecified || values.contains(value) }

    /// Parses `text` for a field named `name` with values in `range` and optional names
    /// (`JAN`, `SUN`) mapped to numbers.
    static func parse(
        _ text: String, name: String, range: ClosedRange<Int>, names: [String: Int] = [:],
        allowsUnspecified: Bool = false, allowsLast: Bool = false
    ) throws(ScheduleExpressionError) -> CronField {
        let upper = text.uppercased()
        if upper == "?" {
            guard allowsUnspecified else { throw .invalidCronField(field: name, value: text) }
            return CronField(values: [], isUnspecified: true, lastDayOfMonth: false)
        }
        if upper.contains("W") && names["WED"] == nil || upper.contains("#") { throw .unsupportedCron(text) }
        var values = Set<Int>()
        var last = false
        for item in upper.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            if item == "L" {
                guard allowsLast else { throw .unsupportedCron(text) }
                last = true
                continue
            }
            let parts = item.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2, let rangePart = parts.first else { throw .invalidCronField(field: name, value: text) }
            var step = 1
            if parts.count == 2 {
                guard let parsed = Int(parts[1]), parsed > 0 else { throw .invalidCronField(field: name, value: text) }
                step = parsed
            }
            let low: Int
            let high: Int
            if rangePart == "*" {
                low = range.lowerBound
                high = range.upperBound
            } else {
                let bounds = rangePart.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                guard bounds.count <= 2, let start = value(bounds[0], names), range.contains(start) else {
                    throw .invalidCronField(field: name, value: text)
                }
                low = start
                if bounds.count == 2 {
                    guard let end = value(bounds[1], names), range.contains(end), end >= start else {
                        throw .invalidCronField(field: name, value: text)
                    }
                    high = end
                } else {
                    // `5/15` means from 5 to the end by 15, as in AWS cron.
                    high = parts.count == 2 ? range.upperBound : start
                }
            }
            values.formUnion(stride(from: low, through: high, by: step))
        }
        return CronField(values: values, isUnspecified: false, lastDayOfMonth: last)
    }

    private static func value(_ text: String, _ names: [String: Int]) -> Int? {
        if let number = Int(text) { return number }
        return names[text]
    }
}
