import AWSProtocol

/// An answer an API test did not expect: the operation, the status and the body it got.
public struct UnexpectedAnswer: Error, CustomStringConvertible {
    public let description: String
}

/// A test fixture that calls an AWS JSON 1.1 API through its router; ``ok(_:_:)`` and
/// ``error(_:_:_:status:)`` check the answers the way every API test needs.
public protocol AWSJSONCalling {
    /// Calls `operation` and returns the status and the parsed body.
    func call(_ operation: String, _ body: JSONValue) async throws -> (status: Int, body: JSONValue)
}

extension AWSJSONCalling {
    /// Calls `operation`, which must succeed; returns its output.
    @discardableResult
    public func ok(_ operation: String, _ body: JSONValue) async throws -> JSONValue {
        let (status, output) = try await call(operation, body)
        guard status == 200 else {
            throw UnexpectedAnswer(description: "\(operation) answered \(status): \(JSONWriter.string(output))")
        }
        return output
    }

    /// Calls `operation`, which must fail with the error `type` and `status`; returns the message.
    public func error(_ operation: String, _ body: JSONValue, _ type: String, status: Int = 400) async throws -> String {
        let (answered, output) = try await call(operation, body)
        guard answered == status, output[member: "__type"]?.stringValue == type else {
            throw UnexpectedAnswer(
                description: "\(operation) answered \(answered): \(JSONWriter.string(output)), expected \(type)")
        }
        return output[member: "message"]?.stringValue ?? ""
    }
}
