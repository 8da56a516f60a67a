/// The resource a `binpack` strategy packs on.
public enum BinpackField: String, Sendable, Hashable, CaseIterable {
    case cpu
    case memory
}

/// What a `spread` strategy spreads over.
public enum SpreadField: Sendable, Hashable {
    /// Each container instance on its own (`instanceId`, or its alias `host`).
    case instanceId
    /// The values of an instance attribute (`attribute:NAME`), e.g. the Availability Zone.
    /// Instances without the attribute form one more value of their own. A value's count is the
    /// group's tasks on every instance with that value, whatever the instance's status.
    case attribute(String)

    /// The prefix of attribute fields in the API.
    public static let attributePrefix = "attribute:"
}

/// One placement strategy rule. A request lists up to five; each one ranks the instances the
/// ones before it left tied.
public enum PlacementStrategy: Sendable, Hashable, CustomStringConvertible {
    /// Any instance that fits. Rules after a `random` rule never matter: it leaves no ties.
    case random
    /// The instances whose `field` value runs the fewest tasks of the task's group.
    case spread(SpreadField)
    /// The instances with the least of the resource remaining (that still fit the task).
    case binpack(BinpackField)

    /// Spread over Availability Zones: what ECS applies to service tasks by default.
    public static let spreadAcrossAvailabilityZones = PlacementStrategy.spread(.attribute(InstanceAttributeName.availabilityZone))

    /// The strategy from its API form (`type`, `field`), validated as ECS does.
    public init(type: String, field: String?) throws(PlacementValidationError) {
        switch type {
        case "random":
            self = .random
        case "binpack":
            guard let field, let resource = BinpackField(rawValue: field) else {
                throw .invalidStrategyField(type: type, field: field)
            }
            self = .binpack(resource)
        case "spread":
            guard let field, field.utf8.count <= PlacementLimits.maximumFieldLength else {
                throw .invalidStrategyField(type: type, field: field)
            }
            if field == "instanceId" || field == "host" {
                self = .spread(.instanceId)
            } else if field.hasPrefix(SpreadField.attributePrefix), field.count > SpreadField.attributePrefix.count {
                self = .spread(.attribute(String(field.dropFirst(SpreadField.attributePrefix.count))))
            } else {
                throw .invalidStrategyField(type: type, field: field)
            }
        default:
            throw .unknownStrategyType(type)
        }
    }

    /// The API `type`.
    public var type: String {
        switch self {
        case .random: return "random"
        case .spread: return "spread"
        case .binpack: return "binpack"
        }
    }

    /// The API `field` (`host` comes back as `instanceId`).
    public var field: String? {
        switch self {
        case .random: return nil
        case .spread(.instanceId): return "instanceId"
        case .spread(.attribute(let name)): return SpreadField.attributePrefix + name
        case .binpack(let resource): return resource.rawValue
        }
    }

    public var description: String { field.map { "\(type)(\($0))" } ?? type }
}
