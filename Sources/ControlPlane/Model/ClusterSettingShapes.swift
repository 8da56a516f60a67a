/// ECS `ClusterSetting`: today only `containerInsights` = `enhanced` | `enabled` | `disabled`.
public struct ECSClusterSetting: Codable, Sendable, Hashable {
    public var name: String?
    public var value: String?

    public init(name: String?, value: String?) {
        self.name = name
        self.value = value
    }

    /// The one setting name ECS defines (`ClusterSettingName`).
    public static let containerInsightsName = "containerInsights"
    /// Values of `containerInsights`.
    public static let containerInsightsValues: [String] = ["enhanced", "enabled", "disabled"]
}

/// ECS `ClusterConfiguration`. Stored and returned; Wharf has no execute-command or managed
/// storage machinery to apply it to.
public struct ECSClusterConfiguration: Codable, Sendable, Equatable {
    public var executeCommandConfiguration: ExecuteCommandConfiguration?
    public var managedStorageConfiguration: ManagedStorageConfiguration?

    public init(executeCommandConfiguration: ExecuteCommandConfiguration? = nil,
                managedStorageConfiguration: ManagedStorageConfiguration? = nil) {
        self.executeCommandConfiguration = executeCommandConfiguration
        self.managedStorageConfiguration = managedStorageConfiguration
    }

    /// ECS `ExecuteCommandConfiguration`.
    public struct ExecuteCommandConfiguration: Codable, Sendable, Equatable {
        public var kmsKeyId: String?
        /// `NONE`, `DEFAULT` or `OVERRIDE`.
        public var logging: String?
        public var logConfiguration: ExecuteCommandLogConfiguration?

        public init(kmsKeyId: String? = nil, logging: String? = nil, logConfiguration: ExecuteCommandLogConfiguration? = nil) {
            self.kmsKeyId = kmsKeyId
            self.logging = logging
            self.logConfiguration = logConfiguration
        }

        /// Values of `logging` (`ExecuteCommandLogging`).
        public static let loggingValues: [String] = ["NONE", "DEFAULT", "OVERRIDE"]
    }

    /// ECS `ExecuteCommandLogConfiguration`.
    public struct ExecuteCommandLogConfiguration: Codable, Sendable, Equatable {
        public var cloudWatchLogGroupName: String?
        public var cloudWatchEncryptionEnabled: Bool?
        public var s3BucketName: String?
        public var s3EncryptionEnabled: Bool?
        public var s3KeyPrefix: String?

        public init(cloudWatchLogGroupName: String? = nil, cloudWatchEncryptionEnabled: Bool? = nil,
                    s3BucketName: String? = nil, s3EncryptionEnabled: Bool? = nil, s3KeyPrefix: String? = nil) {
            self.cloudWatchLogGroupName = cloudWatchLogGroupName
            self.cloudWatchEncryptionEnabled = cloudWatchEncryptionEnabled
            self.s3BucketName = s3BucketName
            self.s3EncryptionEnabled = s3EncryptionEnabled
            self.s3KeyPrefix = s3KeyPrefix
        }
    }

    /// ECS `ManagedStorageConfiguration`.
    public struct ManagedStorageConfiguration: Codable, Sendable, Equatable {
        public var kmsKeyId: String?
        public var fargateEphemeralStorageKmsKeyId: String?

        public init(kmsKeyId: String? = nil, fargateEphemeralStorageKmsKeyId: String? = nil) {
            self.kmsKeyId = kmsKeyId
            self.fargateEphemeralStorageKmsKeyId = fargateEphemeralStorageKmsKeyId
        }
    }
}

/// ECS `CapacityProviderStrategyItem`.
public struct ECSCapacityProviderStrategyItem: Codable, Sendable, Hashable {
    public var capacityProvider: String?
    /// 0...1000, default 0.
    public var weight: Int?
    /// 0...100000, default 0.
    public var base: Int?

    public init(capacityProvider: String?, weight: Int? = nil, base: Int? = nil) {
        self.capacityProvider = capacityProvider
        self.weight = weight
        self.base = base
    }

    /// `CapacityProviderStrategyItemWeight` bounds.
    public static let weightRange: ClosedRange<Int> = 0...1000
    /// `CapacityProviderStrategyItemBase` bounds.
    public static let baseRange: ClosedRange<Int> = 0...100_000
}

/// ECS `ClusterServiceConnectDefaults` (`ClusterServiceConnectDefaultsRequest` on input: same
/// single member). Wharf stores the namespace as given; it has no Cloud Map to create one in.
public struct ECSClusterServiceConnectDefaults: Codable, Sendable, Hashable {
    public var namespace: String?

    public init(namespace: String?) { self.namespace = namespace }
}
