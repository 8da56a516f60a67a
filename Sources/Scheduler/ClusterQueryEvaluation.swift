extension QueryNode {
    func evaluate(_ instance: ContainerInstanceCandidate) -> Bool {
        switch self {
        case .and(let left, let right): return left.evaluate(instance) && right.evaluate(instance)
        case .or(let left, let right): return left.evaluate(instance) || right.evaluate(instance)
        case .not(let inner): return !inner.evaluate(instance)
        case .comparison(let comparison): return comparison.evaluate(instance)
        }
    }
}

extension QueryComparison {
    func evaluate(_ instance: ContainerInstanceCandidate) -> Bool {
        switch subject {
        case .attribute(let name):
            guard let entry = instance.attributes[name] else { return op == .notExists }
            switch op {
            case .exists: return true
            case .notExists: return false
            default:
                // An attribute without a value has nothing to compare.
                guard let value = entry else { return false }
                return compare(text: value, ordering: OrderedValue.compare)
            }
        case .ec2InstanceId:
            guard let value = instance.ec2InstanceId else { return false }
            return compare(text: value, ordering: OrderedValue.compare)
        case .agentConnected:
            return compare(text: instance.agentConnected ? "true" : "false", ordering: OrderedValue.compare)
        case .agentVersion:
            guard let value = instance.agentVersion else { return false }
            return compare(text: value, ordering: OrderedValue.compareAsVersions)
        case .registeredAt:
            guard let value = instance.registeredAt else { return false }
            return compare(integer: value)
        case .runningTasksCount:
            return compare(integer: Int64(instance.runningTasksCount))
        case .taskGroup:
            return evaluateTaskGroups(instance.taskGroupCounts)
        }
    }

    private func compare(text value: String, ordering: (String, QueryLiteral) -> Int) -> Bool {
        switch (op, argument) {
        case (.equals, .literal(let literal)): return value == literal.text
        case (.notEquals, .literal(let literal)): return value != literal.text
        case (.greaterThan, .literal(let literal)): return ordering(value, literal) > 0
        case (.greaterThanOrEqual, .literal(let literal)): return ordering(value, literal) >= 0
        case (.lessThan, .literal(let literal)): return ordering(value, literal) < 0
        case (.lessThanOrEqual, .literal(let literal)): return ordering(value, literal) <= 0
        case (.in, .list(let list)): return list.contains { $0.text == value }
        case (.notIn, .list(let list)): return !list.contains { $0.text == value }
        case (.matches, .pattern(let pattern)): return pattern.matches(value)
        case (.notMatches, .pattern(let pattern)): return !pattern.matches(value)
        case (.exists, _): return true
        case (.notExists, _): return false
        default: return false
        }
    }

    private func compare(integer value: Int64) -> Bool {
        guard case .literal(let literal) = argument, let right = literal.integer else { return false }
        switch op {
        case .equals: return value == right
        case .notEquals: return value != right
        case .greaterThan: return value > right
        case .greaterThanOrEqual: return value >= right
        case .lessThan: return value < right
        case .lessThanOrEqual: return value <= right
        default: return false
        }
    }

    /// `task:group` has one value per group with a task on the instance.
    private func evaluateTaskGroups(_ counts: [String: Int]) -> Bool {
        func hosts(_ group: String) -> Bool { (counts[group] ?? 0) > 0 }
        func anyGroup(_ predicate: (String) -> Bool) -> Bool {
            counts.contains { $0.value > 0 && predicate($0.key) }
        }
        switch (op, argument) {
        case (.equals, .literal(let literal)): return hosts(literal.text)
        case (.notEquals, .literal(let literal)): return !hosts(literal.text)
        case (.in, .list(let list)): return list.contains { hosts($0.text) }
        case (.notIn, .list(let list)): return !list.contains { hosts($0.text) }
        case (.matches, .pattern(let pattern)): return anyGroup(pattern.matches)
        case (.notMatches, .pattern(let pattern)): return !anyGroup(pattern.matches)
        case (.exists, _): return anyGroup { _ in true }
        case (.notExists, _): return !anyGroup { _ in true }
        default: return false
        }
    }
}
