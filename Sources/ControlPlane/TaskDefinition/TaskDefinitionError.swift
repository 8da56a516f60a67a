/// Why a task definition (or a run of one with overrides) was refused, in the terms ECS answers
/// with: an exception name, the member concerned and ECS's wording.
///
/// Where the wording is ECS's own (as reported back by the AWS CLI) the rule's comment in
/// `TaskDefinitionValidation.swift` says so; elsewhere the message follows ECS's patterns
/// (`Invalid 'x' setting for container 'y'. ...`, `X.y should not be null or empty.`).
public struct TaskDefinitionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The ECS exception type a client would see.
    public enum Code: String, Sendable, Equatable, Codable {
        /// RegisterTaskDefinition's answer to an invalid task definition.
        case clientException = "ClientException"
        /// RunTask/StartTask's answer to invalid overrides.
        case invalidParameterException = "InvalidParameterException"
        /// Malformed JSON, or a member of the wrong type.
        case serializationException = "SerializationException"
        /// Valid for ECS but not something Wharf can run (e.g. EFS volumes).
        case unsupportedFeatureException = "UnsupportedFeatureException"
    }

    public var code: Code
    /// Path of the offending member, e.g. `containerDefinitions[1].portMappings[0].hostPort`
    /// (`""` when the error is about the whole document).
    public var field: String
    /// The message ECS would return.
    public var message: String

    public init(_ code: Code = .clientException, field: String, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// Describes a JSON decoding failure the way ECS does for a request it cannot deserialize.
    init(decoding error: DecodingError) {
        func path(_ keys: [any CodingKey]) -> String {
            var out = ""
            for key in keys {
                if let index = key.intValue {
                    out += "[\(index)]"
                } else {
                    out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
                }
            }
            return out
        }
        switch error {
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            self.init(.serializationException, field: field,
                      message: "Unexpected value for '\(field)': expected \(type). \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            self.init(.serializationException, field: field,
                      message: "Unexpected null for '\(field)': expected \(type).")
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            self.init(.serializationException, field: field, message: "Missing member '\(field)'.")
        case .dataCorrupted(let context):
            self.init(.serializationException, field: path(context.codingPath),
                      message: "Malformed JSON: \(context.debugDescription)")
        @unknown default:
            self.init(.serializationException, field: "", message: "\(error)")
        }
    }
}
