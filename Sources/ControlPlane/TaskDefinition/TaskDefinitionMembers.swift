/// The task-level member types of ``TaskDefinition`` (ECS API Reference data types of the same names).
extension TaskDefinition {
    /// ECS `Tag`.
    public struct Tag: Codable, Sendable, Equatable {
        public var key: String?
        public var value: String?
        public init(key: String? = nil, value: String? = nil) {
            self.key = key
            self.value = value
        }
    }

    /// ECS `KeyValuePair` (environment variables, proxy properties).
    public struct KeyValuePair: Codable, Sendable, Equatable {
        public var name: String?
        public var value: String?
        public init(name: String? = nil, value: String? = nil) {
            self.name = name
            self.value = value
        }
    }

    /// ECS `TaskDefinitionPlacementConstraint`: `type` is `memberOf`.
    public struct PlacementConstraint: Codable, Sendable, Equatable {
        public var type: String?
        public var expression: String?
        public init(type: String? = nil, expression: String? = nil) {
            self.type = type
            self.expression = expression
        }
    }

    /// ECS `RuntimePlatform`.
    public struct RuntimePlatform: Codable, Sendable, Equatable {
        /// `X86_64` or `ARM64`.
        public var cpuArchitecture: String?
        /// `LINUX`, `WINDOWS_SERVER_...`.
        public var operatingSystemFamily: String?
        public init(cpuArchitecture: String? = nil, operatingSystemFamily: String? = nil) {
            self.cpuArchitecture = cpuArchitecture
            self.operatingSystemFamily = operatingSystemFamily
        }
    }

    /// ECS `ProxyConfiguration` (App Mesh); kept for round trips, not used by Wharf.
    public struct ProxyConfiguration: Codable, Sendable, Equatable {
        public var type: String?
        public var containerName: String?
        public var properties: [KeyValuePair]?
        public init(type: String? = nil, containerName: String? = nil, properties: [KeyValuePair]? = nil) {
            self.type = type
            self.containerName = containerName
            self.properties = properties
        }
    }

    /// ECS `InferenceAccelerator`; kept for round trips, not used by Wharf.
    public struct InferenceAccelerator: Codable, Sendable, Equatable {
        public var deviceName: String?
        public var deviceType: String?
        public init(deviceName: String? = nil, deviceType: String? = nil) {
            self.deviceName = deviceName
            self.deviceType = deviceType
        }
    }

    /// ECS `EphemeralStorage` (Fargate): 21-200 GiB.
    public struct EphemeralStorage: Codable, Sendable, Equatable {
        public var sizeInGiB: Int?
        public init(sizeInGiB: Int? = nil) { self.sizeInGiB = sizeInGiB }
    }

    /// ECS `Attribute` (`requiresAttributes` in responses).
    public struct Attribute: Codable, Sendable, Equatable {
        public var name: String?
        public var value: String?
        public var targetType: String?
        public var targetId: String?
        public init(name: String? = nil, value: String? = nil, targetType: String? = nil, targetId: String? = nil) {
            self.name = name
            self.value = value
            self.targetType = targetType
            self.targetId = targetId
        }
    }
}
