import Foundation

/// The AWS JSON 1.1 protocol: turns an ``AWSRequest`` into a call of the handler registered
/// for the addressed service, and the handler's answer (or error) into an ``AWSResponse``.
///
/// Requests are checked in this order, each refusal as AWS answers it:
///
/// 1. `POST /` with `Content-Type: application/x-amz-json-1.1` (or `application/json`,
///    which AWS JSON services also take; an empty body may omit it). Anything else is not
///    a JSON protocol request: 404 `UnknownOperationException`.
/// 2. `X-Amz-Target: <prefix>.<Operation>` naming a registered service and one of its
///    operations, else 400 `UnknownOperationException` (no message, as AWS sends).
/// 3. A body of at most ``Limits/maximumBodyBytes``, else 413 `RequestEntityTooLargeException`.
/// 4. Signature Version 4 for the service's signing name (see ``SigV4Verifier``).
/// 5. A body that is a JSON object (empty means `{}`), else 400 `SerializationException`.
///
/// Authentication comes before the body is parsed, so an unauthenticated client cannot
/// make the server parse anything. Every response carries `Content-Type:
/// application/x-amz-json-1.1` and a fresh `x-amzn-RequestId` (a UUID), errors included.
///
/// Handlers are synchronous and may block (every service's operations wait on its store):
/// the transport calls ``handle(_:)`` on a thread of its own, never on an event loop or on
/// Swift's cooperative pool, and writes the response when it returns.
public struct AWSJSONRouter: Sendable {
    /// One operation's handler: gets the parsed input object and the request context; returns
    /// the output object or throws the service's error.
    public typealias OperationHandler = @Sendable (_ input: JSONValue, _ context: RequestContext)
        throws(AWSServiceError) -> JSONValue

    /// A service's handler that takes the request body as it came (a JSON object, `{}` for an
    /// empty body) and returns the response body: for services whose operations decode their
    /// input themselves, so the body is not parsed twice.
    public typealias DocumentHandler = @Sendable (_ operation: String, _ body: [UInt8], _ context: RequestContext)
        throws(AWSServiceError) -> [UInt8]

    /// The bounds a request must stay within.
    public struct Limits: Sendable {
        /// Largest accepted body. ECS's largest inputs (a task definition is at most 64 KiB)
        /// fit many times over; the transport should stop reading past this too.
        public var maximumBodyBytes: Int
        /// Deepest JSON nesting accepted.
        public var maximumJSONDepth: Int

        public init(maximumBodyBytes: Int = 1 << 20, maximumJSONDepth: Int = JSONParser.defaultMaximumDepth) {
            self.maximumBodyBytes = maximumBodyBytes
            self.maximumJSONDepth = maximumJSONDepth
        }
    }

    /// The media type of requests and responses.
    public static let contentType = "application/x-amz-json-1.1"
    /// The header carrying `<prefix>.<Operation>`.
    public static let targetHeader = "X-Amz-Target"
    /// The response header carrying the request id.
    public static let requestIDHeader = "x-amzn-RequestId"

    private struct Route: Sendable {
        enum Handling: Sendable {
            case parsed(OperationHandler)
            case document(DocumentHandler)
        }

        let service: AWSService
        /// How each operation the service serves is handled: its keys are the operations.
        let operations: [String: Handling]
    }

    private let verifier: SigV4Verifier
    public let limits: Limits
    private var routes: [String: Route] = [:]

    public init(verifier: SigV4Verifier, limits: Limits = Limits()) {
        self.verifier = verifier
        self.limits = limits
    }

    /// Routes each operation of `service` named in `handlers` to its handler, replacing an
    /// earlier registration: the operations served are the table's keys.
    public mutating func register(_ service: AWSService, handlers: [String: OperationHandler]) {
        routes[service.targetPrefix] = Route(service: service, operations: handlers.mapValues { .parsed($0) })
    }


    /// Routes `service`'s `operations` to a handler that decodes the body itself (signature,
    /// target, size and content type are still checked here).
    public mutating func register(_ service: AWSService, operations: Set<String>, documentHandler: @escaping DocumentHandler) {
        let handlers = Dictionary(uniqueKeysWithValues: operations.map { ($0, Route.Handling.document(documentHandler)) })
        routes[service.targetPrefix] = Route(service: service, operations: handlers)
    }

    /// Serves one request. Blocks for as long as the handler does.
    public func handle(_ request: AWSRequest) -> AWSResponse {
        let requestID = UUID().uuidString.lowercased()
        do {
            let (handling, operation, context) = try accept(request, requestID: requestID)
            switch handling {
            case .parsed(let handler):
                let input = try parsedInput(request.body)
                let output = try handler(input, context)
                return Self.response(status: 200, body: JSONWriter.bytes(output), requestID: requestID)
            case .document(let handler):
                let body = request.body.allSatisfy(ASCII.isWhitespace) ? Array("{}".utf8) : request.body
                return Self.response(status: 200, body: try handler(operation, body, context), requestID: requestID)
            }
        } catch {
            return Self.response(error, requestID: requestID)
        }
    }

    /// The answer to a request whose body the transport refused to read past
    /// ``Limits/maximumBodyBytes``: the same 413 `RequestEntityTooLargeException` that
    /// ``handle(_:)`` gives a body over the limit, for a transport that stops reading first.
    public func bodyTooLargeResponse(byteCount: Int?) -> AWSResponse {
        Self.response(
            .bodyTooLarge(byteCount: byteCount, limit: limits.maximumBodyBytes),
            requestID: UUID().uuidString.lowercased())
    }

    /// Checks everything up to the input (method, path, content type, target, size,
    /// signature), or says what AWS would answer.
    private func accept(_ request: AWSRequest, requestID: String)
        throws(AWSServiceError) -> (handling: Route.Handling, operation: String, context: RequestContext)
    {
        guard request.method == "POST", request.path == "/", hasJSONContentType(request) else {
            throw .unknownOperation(status: 404)
        }
        guard let target = request.headerValue(Self.targetHeader).map(ASCII.trimmed),
              let dot = target.lastIndex(of: "."),
              let route = routes[String(target[..<dot])]
        else { throw .unknownOperation() }
        let operation = String(target[target.index(after: dot)...])
        guard let handling = route.operations[operation] else { throw .unknownOperation() }

        guard request.body.count <= limits.maximumBodyBytes else {
            throw .bodyTooLarge(byteCount: request.body.count, limit: limits.maximumBodyBytes)
        }

        let identity: AuthenticatedIdentity
        do {
            identity = try verifier.verify(request, service: route.service.signingName)
        } catch {
            throw error.serviceError
        }

        let context = RequestContext(requestID: requestID, service: route.service, operation: operation, identity: identity)
        return (handling, operation, context)
    }

    /// The body as a JSON object (`{}` when empty), or the SerializationException AWS sends.
    private func parsedInput(_ body: [UInt8]) throws(AWSServiceError) -> JSONValue {
        if body.allSatisfy(ASCII.isWhitespace) { return .emptyObject }
        let input: JSONValue
        do {
            input = try JSONParser(maximumDepth: limits.maximumJSONDepth).parse(body)
        } catch {
            throw .serialization(error.description)
        }
        guard case .object = input else {
            throw .serialization("Expected a JSON object as the request body, got \(input.kindDescription).")
        }
        return input
    }

    /// Whether the content type is one the JSON protocol takes; an empty body may have none.
    private func hasJSONContentType(_ request: AWSRequest) -> Bool {
        guard let value = request.headerValue("Content-Type") else { return request.body.isEmpty }
        let mediaType = ASCII.trimmed(String(value.split(separator: ";", maxSplits: 1).first ?? ""))
        return ASCII.equalsIgnoringCase(mediaType, Self.contentType) || ASCII.equalsIgnoringCase(mediaType, "application/json")
    }

    static func response(_ error: AWSServiceError, requestID: String) -> AWSResponse {
        response(status: error.status, body: JSONWriter.bytes(error.json), requestID: requestID)
    }

    static func response(status: Int, body: [UInt8], requestID: String) -> AWSResponse {
        AWSResponse(
            status: status,
            headers: [(name: requestIDHeader, value: requestID), (name: "Content-Type", value: contentType)],
            body: body)
    }
}
