/// Why a load balancer configuration was refused: the step that failed, the field concerned
/// (a path such as `targetGroups[1].healthCheck.intervalSeconds`), the line it is on and what
/// was wrong with it.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem was found; each names the step of loading that refused the file.
    public enum Kind: String, Sendable, Equatable {
        /// The file could not be read (`open`/`read` failed).
        case unreadable
        /// The text is not well-formed YAML or JSON.
        case syntax
        /// A key that the configuration does not define.
        case unknownKey
        /// A required field is absent.
        case missingField
        /// A value of the wrong type (a string where a number belongs, ...).
        case wrongType
        /// A number outside the range the field accepts.
        case outOfRange
        /// A value of the right type that is not acceptable (a malformed matcher, address, name ...).
        case invalidValue
        /// Two entries that must be unique share a name, port or address.
        case duplicate
        /// A reference to something that does not exist (a listener's default target group).
        case unknownReference
        /// Two fields that are valid alone but not together (timeout >= interval, ...).
        case conflict
    }

    public var kind: Kind
    /// Where the text came from (a file path, or a label given to `parse`).
    public var source: String
    /// Path of the offending field, e.g. `targetGroups[1].healthCheck.intervalSeconds`
    /// (`""` when the error concerns the whole document).
    public var field: String
    /// The 1-based line of the offending key or value, when known.
    public var line: Int?
    /// What was wrong, in words.
    public var message: String

    public init(_ kind: Kind, source: String, field: String, line: Int?, message: String) {
        self.kind = kind
        self.source = source
        self.field = field
        self.line = line
        self.message = message
    }

    /// `lb.yaml:12: targetGroups[1].healthCheck.intervalSeconds: must be between 5 and 300, found 3`.
    public var description: String {
        var text = source
        if let line { text += ":\(line)" }
        if !field.isEmpty { text += ": \(field)" }
        return text + ": " + message
    }
}
