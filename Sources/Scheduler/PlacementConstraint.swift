/// One placement constraint. Unlike strategies, constraints are binding: an instance that does
/// not satisfy one is not a candidate.
public enum PlacementConstraint: Sendable, Hashable, CustomStringConvertible {
    /// No two tasks of the task's group on one instance (counting tasks already running there).
    case distinctInstance
    /// Only instances the cluster query selects.
    case memberOf(ClusterQuery)

    /// The constraint from its API form (`type`, `expression`), validated as ECS does.
    public init(type: String, expression: String?) throws(PlacementValidationError) {
        switch type {
        case "distinctInstance":
            // The CLI may send an empty string for an absent expression.
            if let expression, !expression.isEmpty { throw .expressionNotAllowed }
            self = .distinctInstance
        case "memberOf":
            guard let expression, !expression.isEmpty else { throw .expressionRequired }
            let length = expression.unicodeScalars.count
            guard length <= PlacementLimits.maximumExpressionLength else {
                throw .expressionTooLong(length: length, limit: PlacementLimits.maximumExpressionLength)
            }
            do {
                self = .memberOf(try ClusterQuery(parsing: expression))
            } catch {
                throw .invalidExpression(error)
            }
        default:
            throw .unknownConstraintType(type)
        }
    }

    /// The API `type`.
    public var type: String {
        switch self {
        case .distinctInstance: return "distinctInstance"
        case .memberOf: return "memberOf"
        }
    }

    /// The API `expression`.
    public var expression: String? {
        switch self {
        case .distinctInstance: return nil
        case .memberOf(let query): return query.source
        }
    }

    public var description: String { expression.map { "\(type)(\($0))" } ?? type }
}
