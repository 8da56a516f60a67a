extension AWSJSONRouter {
    /// One operation of an API whose operations read their input object as members: gets the
    /// API, the members and the caller's region (from the credential scope, for ARNs).
    public typealias MemberHandler<API> = @Sendable (API, JSONMembers, _ region: String) throws(AWSServiceError) -> JSONValue

    /// Routes `service` to `api`'s operations in `handlers`, replacing an earlier registration.
    /// An input that is not a JSON object, or a member of the wrong type, is answered with the
    /// API's own error type `memberErrorType` (ValidationException, InvalidParameterException).
    public mutating func register<API: Sendable>(
        _ service: AWSService, api: API, memberErrorType: String, handlers: [String: MemberHandler<API>]
    ) {
        var table: [String: OperationHandler] = [:]
        for (operation, handler) in handlers {
            table[operation] = Self.operationHandler(handler, api: api, memberErrorType: memberErrorType)
        }
        register(service, handlers: table)
    }

    /// `handler` as the router calls it. A function of its own: the same closure written inside
    /// `mapValues` crashes Swift 6.3.1's SIL generation.
    private static func operationHandler<API: Sendable>(
        _ handler: @escaping MemberHandler<API>, api: API, memberErrorType: String
    ) -> OperationHandler {
        { (input: JSONValue, context: RequestContext) throws(AWSServiceError) -> JSONValue in
            let members = try JSONMembers(input, errorType: memberErrorType)
            return try handler(api, members, context.identity.region)
        }
    }
}
