/// A placement request ECS would refuse with `InvalidParameterException`. Each case names the
/// parameter at fault; `message` is the text for the exception.
public enum PlacementValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// More than `PlacementLimits.maximumStrategies` strategies.
    case tooManyStrategies(count: Int, limit: Int)
    /// More than `PlacementLimits.maximumConstraints` constraints.
    case tooManyConstraints(count: Int, limit: Int)
    /// A strategy `type` other than `random`, `spread`, `binpack`.
    case unknownStrategyType(String)
    /// A `field` the strategy type does not take (binpack: `cpu`/`memory`; spread: `instanceId`,
    /// `host` or `attribute:NAME`).
    case invalidStrategyField(type: String, field: String?)
    /// A constraint `type` other than `distinctInstance` and `memberOf`.
    case unknownConstraintType(String)
    /// `distinctInstance` given an expression.
    case expressionNotAllowed
    /// `memberOf` without an expression.
    case expressionRequired
    /// An expression longer than `PlacementLimits.maximumExpressionLength`.
    case expressionTooLong(length: Int, limit: Int)
    /// An expression the cluster query language does not parse.
    case invalidExpression(ClusterQueryParseError)
    /// A negative task count.
    case invalidCount(Int)

    /// The message of the `InvalidParameterException` the control plane answers with.
    public var message: String {
        switch self {
        case .tooManyStrategies(let count, let limit):
            return "The placement strategy list has \(count) entries; the maximum is \(limit)."
        case .tooManyConstraints(let count, let limit):
            return "The placement constraint list has \(count) entries (task definition and request together); the maximum is \(limit)."
        case .unknownStrategyType(let type):
            return "Invalid placement strategy type '\(type)'. Valid values: random, spread, binpack."
        case .invalidStrategyField(let type, let field):
            let given = field.map { "'\($0)'" } ?? "no field"
            switch type {
            case "binpack": return "Invalid field \(given) for the binpack placement strategy. Valid values: cpu, memory."
            case "spread":
                return "Invalid field \(given) for the spread placement strategy. Valid values: instanceId, host, attribute:<name>."
            default: return "Invalid field \(given) for the \(type) placement strategy."
            }
        case .unknownConstraintType(let type):
            return "Invalid placement constraint type '\(type)'. Valid values: distinctInstance, memberOf."
        case .expressionNotAllowed:
            return "An expression cannot be specified for a distinctInstance placement constraint."
        case .expressionRequired:
            return "A memberOf placement constraint requires an expression."
        case .expressionTooLong(let length, let limit):
            return "The placement constraint expression is \(length) characters long; the maximum is \(limit)."
        case .invalidExpression(let error):
            return "Invalid placement constraint expression: \(error.description)"
        case .invalidCount(let count):
            return "Invalid task count \(count)."
        }
    }

    public var description: String { message }
}
