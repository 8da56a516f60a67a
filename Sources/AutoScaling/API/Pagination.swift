import AWSProtocol
import Foundation

/// MaxResults / NextToken over an ordered list. Tokens are opaque to clients (the offset of
/// the next item, base64); one that does not decode is a ValidationException.
enum Pagination {
    /// Items per page when MaxResults is not given, and the most a page may hold.
    static let maximumResults = 50

    static func page<T>(_ items: [T], _ members: JSONMembers) throws(AWSServiceError) -> (items: [T], nextToken: String?) {
        let limit = try members.optionalInt(
            "MaxResults", range: 1...maximumResults,
            message: "MaxResults must be between 1 and \(maximumResults)") ?? maximumResults
        var start = 0
        if let token = try members.optionalString("NextToken") {
            guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
                  text.hasPrefix("offset:"), let offset = Int(text.dropFirst("offset:".count)), offset >= 0
            else { throw AutoScalingError.validation("Invalid NextToken") }
            start = min(offset, items.count)
        }
        let end = min(items.count, start + limit)
        let next = end < items.count ? Data("offset:\(end)".utf8).base64EncodedString() : nil
        return (Array(items[start..<end]), next)
    }

    /// `output` with `NextToken` added when there is one.
    static func output(_ members: [String: JSONValue], nextToken: String?) -> JSONValue {
        var members = members
        if let nextToken { members["NextToken"] = .string(nextToken) }
        return .object(members)
    }
}
