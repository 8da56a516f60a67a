import AWSProtocol

/// MaxResults / NextToken of the Describe operations, on AWSProtocol's keyset
/// ``AWSProtocol/PageRequest``: tokens name the operation and the sort key of the last item
/// returned, and each operation queries its page in SQL after that key.
enum Pagination {
    /// Items per page when MaxResults is not given, and the most a page may hold.
    static let maximumResults = 50
    /// The same for DescribeScalingPolicies: "This value can be between 1 and 10. The default
    /// value is 10."
    static let maximumPolicyResults = 10

    /// The page `members` ask for, of at most `maximum` items (also the size when MaxResults is
    /// absent): MaxResults out of bounds is a ValidationException, a NextToken not issued for
    /// `operation` an InvalidNextTokenException (as AWS reports them).
    static func request(_ members: JSONMembers, operation: String, keyCount: Int, maximum: Int = maximumResults)
        throws(AWSServiceError) -> PageRequest
    {
        let size = try members.optionalInt(
            "MaxResults", range: 1...maximum,
            message: "MaxResults must be between 1 and \(maximum)") ?? maximum
        let token = try members.optionalString("NextToken")
        do {
            return try PageRequest(operation: operation, size: size, nextToken: token, keyCount: keyCount)
        } catch {
            throw invalidToken(operation)
        }
    }

    /// InvalidNextTokenException for a token whose key does not read back.
    static func invalidToken(_ operation: String) -> AWSServiceError {
        AWSServiceError(type: "InvalidNextTokenException", message: InvalidPaginationToken(operation: operation).description)
    }

    /// `output` with `NextToken` added when there is one.
    static func output(_ members: [String: JSONValue], nextToken: String?) -> JSONValue {
        var members = members
        if let nextToken { members["NextToken"] = .string(nextToken) }
        return .object(members)
    }
}
