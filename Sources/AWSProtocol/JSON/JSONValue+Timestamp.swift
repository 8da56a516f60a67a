import Foundation

extension JSONValue {
    /// A timestamp as the AWS JSON protocols send it: seconds since the Unix epoch, a number,
    /// kept to millisecond precision (ECS's own resolution; botocore reads it back as a
    /// `datetime`).
    public static func timestamp(_ date: Date) -> JSONValue {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        if milliseconds.truncatingRemainder(dividingBy: 1000) == 0, let seconds = Int64(exactly: milliseconds / 1000) {
            return .integer(seconds)
        }
        return .double(milliseconds / 1000)
    }

    /// This value read as an AWS JSON timestamp (epoch seconds, integer or fractional).
    public var timestampValue: Date? {
        guard let seconds = doubleValue, seconds.isFinite else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}
