import Foundation
import Scheduler

/// Input checks of the task operations, with ECS's limits and wording.
enum TaskValidation {
    /// RunTask `count`: "You can specify up to 10 tasks for each call."
    static let countRange = 1...10
    /// StartTask `containerInstances`: "You can specify up to 10 container instances."
    static let maxStartTaskInstances = 10
    /// DescribeTasks `tasks`: "A list of up to 100 task IDs or full ARN entries."
    static let maxDescribe = 100
    /// `startedBy`: "Up to 128 letters (uppercase and lowercase), numbers, hyphens (-), forward
    /// slash (/), and underscores (_) are allowed."
    static let maxStartedByLength = 128
    /// `group`: at most 255 characters.
    static let maxGroupLength = 255
    /// StopTask `reason`: "Up to 255 characters are allowed in this message."
    static let maxReasonLength = 255
    /// `overrides`: "A total of 8192 characters are allowed for overrides. This limit includes
    /// the JSON formatting characters of the override structure."
    static let maxOverridesLength = 8192
    /// `awsvpcConfiguration.subnets`: "You can specify up to 16 subnets."
    static let maxSubnets = 16
    /// `awsvpcConfiguration.securityGroups`: "You can specify up to 5 security groups."
    static let maxSecurityGroups = 5
    /// Launch types a task operation accepts.
    static let launchTypes = ["EC2", "FARGATE", "EXTERNAL"]
    /// Launch types ListTasks and ListServices filter by (ECS's `LaunchType`, which also has
    /// MANAGED_INSTANCES: no task here has it, so the filter finds nothing).
    static let launchTypeFilters = launchTypes + ["MANAGED_INSTANCES"]
    /// `desiredStatus` values ListTasks accepts.
    static let desiredStatuses = ["RUNNING", "PENDING", "STOPPED"]
    /// DescribeTasks `include` (`TaskField`).
    static let includeFields = ["TAGS"]
    /// `propagateTags` values (`PropagateTags`).
    static let propagateTagsValues = ["TASK_DEFINITION", "SERVICE", "NONE"]
    /// Capacity providers that mean the FARGATE launch type.
    static let fargateCapacityProviders: Set<String> = ["FARGATE", "FARGATE_SPOT"]

    static func count(_ count: Int?) throws(ECSError) -> Int {
        let value = count ?? 1
        guard countRange.contains(value) else {
            throw ECSError(.invalidParameterException, "Count must be between \(countRange.lowerBound) and \(countRange.upperBound).")
        }
        return value
    }

    /// ECS: a RunTask `clientToken` has up to 64 characters.
    static let maxClientTokenLength = 64

    static func startedBy(_ value: String?) throws(ECSError) -> String? {
        guard let value else { return nil }
        guard !value.isEmpty, value.utf8.count <= maxStartedByLength,
              value.utf8.allSatisfy({ c in
                  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x2F || c == 0x5F
              })
        else {
            throw ECSError(.invalidParameterException,
                           "startedBy must be 1-\(maxStartedByLength) letters, numbers, hyphens, forward slashes or underscores.")
        }
        return value
    }

    static func group(_ value: String?) throws(ECSError) -> String? {
        guard let value else { return nil }
        guard !value.isEmpty, value.unicodeScalars.count <= maxGroupLength else {
            throw ECSError(.invalidParameterException, "group must be 1-\(maxGroupLength) characters long.")
        }
        return value
    }

    static func reason(_ value: String?) throws(ECSError) -> String? {
        guard let value, !value.isEmpty else { return nil }
        guard value.unicodeScalars.count <= maxReasonLength else {
            throw ECSError(.invalidParameterException, "reason can be at most \(maxReasonLength) characters long.")
        }
        return value
    }

    static func overrides(_ overrides: TaskOverride?) throws(ECSError) {
        guard let overrides else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let length = (try? encoder.encode(overrides))?.count ?? 0
        if length > maxOverridesLength {
            throw ECSError(.invalidParameterException,
                           "Container Overrides length must be at most \(maxOverridesLength) characters; it is \(length).")
        }
    }

    /// The shape of `networkConfiguration` (whether the task definition wants one is checked
    /// once it is known).
    static func networkConfiguration(_ configuration: TaskNetworkConfiguration?) throws(ECSError) {
        guard let configuration else { return }
        guard let awsvpc = configuration.awsvpcConfiguration else {
            throw ECSError(.invalidParameterException, "networkConfiguration.awsvpcConfiguration should not be null or empty.")
        }
        guard let subnets = awsvpc.subnets, !subnets.isEmpty else {
            throw ECSError(.invalidParameterException, "subnets can not be empty.")
        }
        if subnets.count > maxSubnets {
            throw ECSError(.invalidParameterException, "subnets can have at most \(maxSubnets) items.")
        }
        if subnets.contains(where: \.isEmpty) {
            throw ECSError(.invalidParameterException, "subnets can not contain empty values.")
        }
        if (awsvpc.securityGroups ?? []).count > maxSecurityGroups {
            throw ECSError(.invalidParameterException, "securityGroups can have at most \(maxSecurityGroups) items.")
        }
        if let assign = awsvpc.assignPublicIp {
            try RequestValidation.oneOf(assign, ["ENABLED", "DISABLED"], member: "assignPublicIp")
        }
    }

    /// The launch type of RunTask's `launchType` / `capacityProviderStrategy`, and the capacity
    /// provider named. Neither: EC2. Both: refused, as ECS does.
    static func launchType(_ text: String?, capacityProviders: [ECSCapacityProviderStrategyItem]?)
        throws(ECSError) -> (ECSLaunchType, capacityProvider: String?)
    {
        if let text {
            if let providers = capacityProviders, !providers.isEmpty {
                throw ECSError(.invalidParameterException,
                               "Specifying both a launch type and capacity provider strategy is not supported.")
            }
            try RequestValidation.oneOf(text, launchTypes, member: "launchType")
            return (ECSLaunchType(rawValue: text) ?? .ec2, nil)
        }
        guard let providers = capacityProviders, !providers.isEmpty else { return (.ec2, nil) }
        var names: [String] = []
        for provider in providers {
            names.append(try RequestValidation.required(provider.capacityProvider, "capacityProviderStrategy.capacityProvider"))
        }
        // The first provider with weight (or the only one) takes the tasks: Wharf has one host pool.
        let chosen = providers.first { ($0.weight ?? 0) > 0 || ($0.base ?? 0) > 0 }?.capacityProvider ?? names[0]
        return (fargateCapacityProviders.contains(chosen) ? .fargate : .ec2, chosen)
    }

    /// The launch type and capacity provider of tasks asked for with capacity provider
    /// `strategy` (RunTask's or a service's) on a cluster of `capacity`, and the strategy in effect. An empty
    /// `strategy` means the cluster's default strategy, as ECS uses it when a request names
    /// neither a launch type nor a strategy (EC2 and no provider when the default is empty
    /// too); a strategy given may name only the cluster's providers.
    static func capacityProviderLaunch(_ strategy: [ECSCapacityProviderStrategyItem], capacity: ClusterCapacity)
        throws(ECSError) -> (launchType: ECSLaunchType, capacityProvider: String?, strategy: [ECSCapacityProviderStrategyItem])
    {
        if !strategy.isEmpty {
            try ClusterValidation.strategy(strategy, of: Set(capacity.providers), member: "capacityProviderStrategy")
        }
        let effective = strategy.isEmpty ? capacity.defaultStrategy : strategy
        let (launchType, provider) = try launchType(nil, capacityProviders: effective)
        return (launchType, provider, effective)
    }

    static func strategies(_ members: [PlacementStrategyMember]?) throws(ECSError) -> [Scheduler.PlacementStrategy] {
        var result: [Scheduler.PlacementStrategy] = []
        for member in members ?? [] {
            let type = try RequestValidation.required(member.type, "placementStrategy.type")
            do {
                result.append(try Scheduler.PlacementStrategy(type: type, field: member.field))
            } catch {
                throw ECSError(.invalidParameterException, error.message)
            }
        }
        return result
    }

    static func constraints(_ members: [PlacementConstraintMember]?) throws(ECSError) -> [Scheduler.PlacementConstraint] {
        var result: [Scheduler.PlacementConstraint] = []
        for member in members ?? [] {
            let type = try RequestValidation.required(member.type, "placementConstraints.type")
            do {
                result.append(try Scheduler.PlacementConstraint(type: type, expression: member.expression))
            } catch {
                throw ECSError(.invalidParameterException, error.message)
            }
        }
        return result
    }

    /// `propagateTags`: true for `TASK_DEFINITION` (`SERVICE` has no service to copy from on a
    /// standalone task and copies nothing).
    static func propagatesTaskDefinitionTags(_ value: String?) throws(ECSError) -> Bool {
        guard let value else { return false }
        try RequestValidation.oneOf(value, propagateTagsValues, member: "propagateTags")
        return value == "TASK_DEFINITION"
    }
}
