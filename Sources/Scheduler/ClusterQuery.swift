/// A parsed cluster query language expression (`memberOf` constraints, ListContainerInstances
/// filters): parse once, then `matches` each instance.
///
/// Supported, as ECS documents it: subjects `attribute:NAME`, `agentConnected`, `agentVersion`,
/// `ec2InstanceId`, `registeredAt`, `runningTasksCount`, `task:group`; operators `==`/`equals`,
/// `!=`/`not_equals`, `>`, `>=`, `<`, `<=` (and their word forms), `exists`, `!exists`/
/// `not_exists`, `in`, `!in`/`not_in` with `[a, b]` lists, `=~`/`matches`, `!~`/`not_matches`
/// with a regular expression (see `QueryPattern`); `and`/`&&`, `or`/`||`, `not`/`!`, and
/// parentheses. `and` binds tighter than `or`. Values are bare words or quoted with `'` or `"`.
///
/// Semantics where ECS's documentation is silent, chosen to match its examples:
/// - `attribute:` comparisons other than `exists`/`not_exists` hold only for instances that have
///   the attribute with a value: `attribute:stack != prod` selects instances *with* a `stack`
///   attribute whose value is not `prod` (ECS's own example). `not(attribute:stack == prod)`
///   also selects instances without it.
/// - `task:group` is many-valued (every group with a task on the instance): `==`, `in`, `=~`,
///   `exists` hold when some group matches; `!=`, `not_in`, `!~`, `not_exists` are their exact
///   negations, so `task:group != database` selects instances running no `database` task.
/// - `>`, `<`, ... compare numbers as numbers, dotted versions (`1.14.5`) segment by segment, and
///   anything else as strings; `agentVersion` always as a version; `registeredAt` as a time.
public struct ClusterQuery: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written.
    public let source: String
    let root: QueryNode
    /// Whether the result can change when tasks are placed (`task:group`, `runningTasksCount`);
    /// the placer re-evaluates such queries for the instance it just placed a task on.
    public let dependsOnTasks: Bool

    /// Parses `source`, reporting the first error with its offset.
    public init(parsing source: String) throws(ClusterQueryParseError) {
        var parser = ClusterQueryParser(source)
        self.root = try parser.parseExpression()
        self.source = source
        self.dependsOnTasks = root.dependsOnTasks
    }

    /// Whether `instance` belongs to the group this query selects.
    public func matches(_ instance: ContainerInstanceCandidate) -> Bool {
        root.evaluate(instance)
    }

    public var description: String { source }

    public static func == (lhs: ClusterQuery, rhs: ClusterQuery) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

/// The expression tree.
indirect enum QueryNode: Sendable, Hashable {
    case and(QueryNode, QueryNode)
    case or(QueryNode, QueryNode)
    case not(QueryNode)
    case comparison(QueryComparison)

    var dependsOnTasks: Bool {
        switch self {
        case .and(let left, let right), .or(let left, let right): return left.dependsOnTasks || right.dependsOnTasks
        case .not(let inner): return inner.dependsOnTasks
        case .comparison(let comparison): return comparison.subject.dependsOnTasks
        }
    }
}

/// `subject operator [argument]`.
struct QueryComparison: Sendable, Hashable {
    var subject: QuerySubject
    var op: QueryOperator
    var argument: QueryArgument
}

/// What a comparison looks at.
enum QuerySubject: Sendable, Hashable {
    case agentConnected
    case agentVersion
    case attribute(String)
    case ec2InstanceId
    case registeredAt
    case runningTasksCount
    case taskGroup

    var dependsOnTasks: Bool {
        switch self {
        case .runningTasksCount, .taskGroup: return true
        default: return false
        }
    }

    /// The operators ECS documents for the subject (attributes take all of them).
    func allows(_ op: QueryOperator) -> Bool {
        switch self {
        case .attribute: return true
        case .taskGroup: return !op.isOrdering
        case .agentConnected, .ec2InstanceId: return !op.isOrdering && op != .exists && op != .notExists
        case .agentVersion, .registeredAt, .runningTasksCount:
            return op.isOrdering || op == .equals || op == .notEquals
        }
    }

    var name: String {
        switch self {
        case .agentConnected: return "agentConnected"
        case .agentVersion: return "agentVersion"
        case .attribute(let name): return "attribute:" + name
        case .ec2InstanceId: return "ec2InstanceId"
        case .registeredAt: return "registeredAt"
        case .runningTasksCount: return "runningTasksCount"
        case .taskGroup: return "task:group"
        }
    }
}

enum QueryOperator: String, Sendable, Hashable {
    case equals = "=="
    case notEquals = "!="
    case greaterThan = ">"
    case greaterThanOrEqual = ">="
    case lessThan = "<"
    case lessThanOrEqual = "<="
    case exists = "exists"
    case notExists = "!exists"
    case `in` = "in"
    case notIn = "!in"
    case matches = "=~"
    case notMatches = "!~"

    var isOrdering: Bool {
        switch self {
        case .greaterThan, .greaterThanOrEqual, .lessThan, .lessThanOrEqual: return true
        default: return false
        }
    }
}

/// The argument, already in the form its comparison needs.
enum QueryArgument: Sendable, Hashable {
    case none
    case literal(QueryLiteral)
    case list([QueryLiteral])
    case pattern(QueryPattern)
}

/// A literal value with its number, version and integer readings worked out once at parse time.
struct QueryLiteral: Sendable, Hashable {
    var text: String
    /// The value as a plain decimal number, if it is one.
    var number: Double?
    /// The value as a dotted version (`1.14.5`), if it is one.
    var version: [Int]?
    /// The value as a whole number: a count for `runningTasksCount`, epoch seconds for
    /// `registeredAt`.
    var integer: Int64?

    init(text: String, integer: Int64? = nil) {
        self.text = text
        self.number = OrderedValue.decimal(text)
        self.version = OrderedValue.version(text)
        self.integer = integer
    }
}
