/// A JSON document as AWS JSON protocols carry it.
///
/// Numbers keep the distinction the wire makes: a literal without fraction or exponent that
/// fits in 64 bits is an `integer`, anything else a `double`. That lets request readers tell
/// `"maxResults": 10` from `"maxResults": 10.5` and report the second as ECS would.
/// Objects are unordered; the writer emits members sorted by name so output is stable.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// An empty object, the input of operations called without parameters.
    public static let emptyObject = JSONValue.object([:])

    /// The members if this is an object.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements if this is an array.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The string if this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The Boolean if this is `true` or `false`.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The number as an `Int` if it is integral and in range (`3` and `3.0` both give 3).
    public var intValue: Int? {
        switch self {
        case .integer(let number): return Int(exactly: number)
        case .double(let number): return Int(exactly: number)
        default: return nil
        }
    }

    /// The number as a `Double` (integers converted).
    public var doubleValue: Double? {
        switch self {
        case .integer(let number): return Double(number)
        case .double(let number): return number
        default: return nil
        }
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The member `name` if this is an object that has it.
    public subscript(member name: String) -> JSONValue? {
        objectValue?[name]
    }

    /// What kind of JSON value this is, in words for error messages ("a string", "an object").
    public var kindDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .double: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var members: [String: JSONValue] = [:]
        for (name, value) in elements { members[name] = value }
        self = .object(members)
    }
}

extension JSONValue {
    /// An integer value from any Swift integer (`.integer`).
    public static func int<T: BinaryInteger>(_ value: T) -> JSONValue {
        if let exact = Int64(exactly: value) { return .integer(exact) }
        return .double(Double(value))
    }

    /// A list of strings.
    public static func strings<S: Sequence<String>>(_ values: S) -> JSONValue {
        .array(values.map { .string($0) })
    }
}
