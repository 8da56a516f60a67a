/// The HTTP codes a health check accepts as success: ALB's `Matcher.HttpCode`, a list of codes
/// and ranges between 200 and 499 such as `"200"`, `"200,202"` or `"200-299,302"`.
public struct HTTPStatusMatcher: Sendable, Equatable, CustomStringConvertible {
    /// The codes ALB allows in a matcher for HTTP/HTTPS health checks.
    public static let allowedCodes: ClosedRange<Int> = 200...499

    /// ALB's default, `200`.
    public static let `default` = HTTPStatusMatcher(ranges: [200...200])

    /// The accepted codes, in the order written.
    public let ranges: [ClosedRange<Int>]

    private init(ranges: [ClosedRange<Int>]) {
        self.ranges = ranges
    }

    /// Why a matcher text was refused.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case notANumber(String)
        case outOfRange(Int)
        case reversedRange(String)

        public var description: String {
            switch self {
            case .empty: return "a matcher needs at least one code, e.g. \"200\" or \"200-299\""
            case .notANumber(let part): return "'\(part)' is not a code or a range of codes (such as 200 or 200-299)"
            case .outOfRange(let code):
                return "code \(code) is outside \(allowedCodes.lowerBound)-\(allowedCodes.upperBound)"
            case .reversedRange(let part): return "range '\(part)' ends before it starts"
            }
        }
    }

    /// Parses `"200"`, `"200,202"`, `"200-299"` or combinations; spaces around parts are allowed.
    public init(parsing text: String) throws(ParseError) {
        var ranges: [ClosedRange<Int>] = []
        for rawPart in text.split(separator: ",", omittingEmptySubsequences: false) {
            let part = rawPart.trimmingSpaces()
            if part.isEmpty { throw text.trimmingSpaces().isEmpty ? .empty : .notANumber(String(rawPart)) }
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2 else { throw .notANumber(String(part)) }
            var values: [Int] = []
            for bound in bounds {
                let digits = bound.trimmingSpaces()
                guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), digits.utf8.count <= 3,
                    let value = Int(digits)
                else { throw .notANumber(String(part)) }
                guard Self.allowedCodes.contains(value) else { throw .outOfRange(value) }
                values.append(value)
            }
            let low = values[0]
            let high = values.count == 2 ? values[1] : low
            guard low <= high else { throw .reversedRange(String(part)) }
            ranges.append(low...high)
        }
        self.init(ranges: ranges)
    }

    /// Whether `status` is one of the accepted codes.
    @inline(__always)
    public func matches(_ status: Int) -> Bool {
        for range in ranges where range.contains(status) { return true }
        return false
    }

    /// The matcher in the form it is written: `200-299,302`.
    public var description: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            .joined(separator: ",")
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (no Foundation here).
    func trimmingSpaces() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return Substring("")
        }
        return Substring(self[first...last])
    }
}
