/// An error as an AWS JSON service reports it: an exception name (`__type`), a message and
/// an HTTP status. Rendered as `{"__type":"...","message":"..."}`.
///
/// Handlers throw it for every refusal; the status is 400 for client errors and 5xx only
/// for real server faults (`ServerException`, `InternalFailure`).
public struct AWSServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The exception name, e.g. `ClusterNotFoundException`.
    public var type: String
    /// The human-readable message (`""` renders no `message` member, as AWS does for
    /// `UnknownOperationException`).
    public var message: String
    /// The HTTP status code.
    public var status: Int
    /// The members an exception carries besides its message (ECS's `ConflictException` has
    /// `resourceIds`), put into the error document as they are.
    public var members: [String: JSONValue]

    public init(type: String, message: String, status: Int = 400, members: [String: JSONValue] = [:]) {
        self.type = type
        self.message = message
        self.status = status
        self.members = members
    }

    public var description: String { message.isEmpty ? type : "\(type): \(message)" }

    /// The JSON error document AWS JSON protocols send.
    public var json: JSONValue {
        var document = members
        document["__type"] = .string(type)
        if !message.isEmpty { document["message"] = .string(message) }
        return .object(document)
    }
}

extension AWSServiceError {
    /// Any request without SigV4 credentials (no `Authorization` header, or one that is not
    /// `AWS4-...`). ECS answers 400 with this exact wording.
    public static let missingAuthenticationToken = AWSServiceError(
        type: "MissingAuthenticationTokenException", message: "Missing Authentication Token")

    /// An access key id that no credential has, or a session token that does not match.
    public static let unrecognizedClient = AWSServiceError(
        type: "UnrecognizedClientException", message: "The security token included in the request is invalid.")

    /// An `X-Amz-Target` naming no known service or operation, or a request that is not a
    /// JSON protocol request at all (`status` 404 then, as AWS answers).
    public static func unknownOperation(status: Int = 400) -> AWSServiceError {
        AWSServiceError(type: "UnknownOperationException", message: "", status: status)
    }

    /// A request body over the service's limit (status 413). `byteCount` is the body's size
    /// when known (a chunked body refused part way has none).
    public static func bodyTooLarge(byteCount: Int?, limit: Int) -> AWSServiceError {
        let size = byteCount.map { "of \($0) bytes " } ?? ""
        return AWSServiceError(
            type: "RequestEntityTooLargeException",
            message: "Request body \(size)exceeds the limit of \(limit) bytes.",
            status: 413)
    }

    /// A body that is not valid JSON, or a member of the wrong JSON type.
    public static func serialization(_ message: String) -> AWSServiceError {
        AWSServiceError(type: "SerializationException", message: message)
    }

    /// A fault on the server side, never the client's doing (status 500). ECS names it
    /// `ServerException`; Application Auto Scaling `InternalServiceException`.
    public static func serverFault(type: String = "ServerException", _ message: String) -> AWSServiceError {
        AWSServiceError(type: type, message: message, status: 500)
    }
}
