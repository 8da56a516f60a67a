/// CreateCluster / UpdateCluster input checks, with ECS's limits.
enum ClusterValidation {
    /// ECS: "A capacity provider strategy may contain a maximum of 20 capacity providers."
    static let maxStrategyItems = 20
    /// The capacity providers a cluster can name: Wharf has no CreateCapacityProvider, so only
    /// AWS's own Fargate providers exist (both run on the hosts' FARGATE capacity).
    static let existingCapacityProviders = TaskValidation.fargateCapacityProviders
    /// DescribeClusters: "A list of up to 100 cluster names or full cluster ARN entries."
    static let maxDescribe = 100

    /// `clusterName`: "Up to 255 letters (uppercase and lowercase), numbers, underscores, and
    /// hyphens are allowed."
    static func name(_ name: String) throws(ECSError) {
        guard RequestValidation.isValidResourceName(name) else {
            throw ECSError(.invalidParameterException,
                           "Cluster name is invalid: up to 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed.")
        }
    }

    /// `settings`: each `containerInsights` with a value ECS knows. Returns them with a later
    /// duplicate replacing an earlier one.
    static func settings(_ settings: [ECSClusterSetting]) throws(ECSError) -> [ECSClusterSetting] {
        var result: [ECSClusterSetting] = []
        for setting in settings {
            let name = try RequestValidation.required(setting.name, "ClusterSetting.name")
            try RequestValidation.oneOf(name, [ECSClusterSetting.containerInsightsName], member: "ClusterSetting.name")
            let value = try RequestValidation.required(setting.value, "ClusterSetting.value")
            try RequestValidation.oneOf(value, ECSClusterSetting.containerInsightsValues, member: "ClusterSetting.value")
            result.removeAll { $0.name == name }
            result.append(ECSClusterSetting(name: name, value: value))
        }
        return result
    }

    /// `configuration.executeCommandConfiguration.logging` is an enumeration, and `OVERRIDE`
    /// requires a `logConfiguration` (it is what overrides the default).
    static func configuration(_ configuration: ECSClusterConfiguration?) throws(ECSError) {
        guard let exec = configuration?.executeCommandConfiguration, let logging = exec.logging else { return }
        try RequestValidation.oneOf(logging, ECSClusterConfiguration.ExecuteCommandConfiguration.loggingValues,
                                    member: "executeCommandConfiguration.logging")
        if logging == "OVERRIDE", exec.logConfiguration == nil {
            throw ECSError(.invalidParameterException,
                           "executeCommandConfiguration.logConfiguration must be specified when logging is OVERRIDE.")
        }
    }

    /// `capacityProviders` and `defaultCapacityProviderStrategy`: names present, unique and of
    /// providers that exist, every strategy item naming a provider of the cluster, weights and
    /// bases in range, at most one base.
    static func capacityProviders(_ providers: [String], strategy: [ECSCapacityProviderStrategyItem]) throws(ECSError) {
        var seen: Set<String> = []
        for provider in providers {
            if provider.isEmpty { throw .missing("capacityProviders[]") }
            guard existingCapacityProviders.contains(provider) else {
                throw ECSError(.invalidParameterException,
                               "The specified capacity provider does not exist. Specify a valid name or ARN and try again. (\(provider); Wharf has FARGATE and FARGATE_SPOT)")
            }
            if !seen.insert(provider).inserted {
                throw ECSError(.invalidParameterException, "The capacity provider \(provider) is specified more than once.")
            }
        }
        try Self.strategy(strategy, of: seen, member: "defaultCapacityProviderStrategy")
    }

    /// A capacity provider strategy (a cluster's default, or a RunTask's, CreateService's or
    /// UpdateService's `member`): at most 20 items, each naming one of `providers` (the
    /// cluster's) once, weights and bases in range, at most one base.
    static func strategy(_ strategy: [ECSCapacityProviderStrategyItem], of providers: Set<String>, member: String) throws(ECSError) {
        try RequestValidation.atMost(strategy, maxStrategyItems, member: member)
        var inStrategy: Set<String> = []
        var withBase = 0
        for item in strategy {
            let name = try RequestValidation.required(item.capacityProvider, "CapacityProviderStrategyItem.capacityProvider")
            if !providers.contains(name) {
                throw ECSError(.invalidParameterException,
                               "The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster: \(name).")
            }
            if !inStrategy.insert(name).inserted {
                throw ECSError(.invalidParameterException, "The capacity provider \(name) appears more than once in the strategy.")
            }
            if let weight = item.weight, !ECSCapacityProviderStrategyItem.weightRange.contains(weight) {
                throw ECSError(.invalidParameterException, "The weight of capacity provider \(name) must be between 0 and 1000.")
            }
            if let base = item.base {
                guard ECSCapacityProviderStrategyItem.baseRange.contains(base) else {
                    throw ECSError(.invalidParameterException, "The base of capacity provider \(name) must be between 0 and 100000.")
                }
                if base > 0 { withBase += 1 }
            }
        }
        if withBase > 1 {
            throw ECSError(.invalidParameterException,
                           "Only one capacity provider in a capacity provider strategy can have a base defined.")
        }
    }

    /// `serviceConnectDefaults.namespace` is required when the member is present.
    static func serviceConnectDefaults(_ defaults: ECSClusterServiceConnectDefaults?) throws(ECSError) {
        guard let defaults else { return }
        _ = try RequestValidation.required(defaults.namespace, "serviceConnectDefaults.namespace")
    }
}
