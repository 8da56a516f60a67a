import Foundation

/// RegisterContainerInstance input checks.
enum ContainerInstanceValidation {
    /// DescribeContainerInstances: "A list of up to 100 container instance IDs or full ARN entries."
    static let maxDescribe = 100
    /// UpdateContainerInstancesState: "A list of up to 10 container instance IDs or full ARN entries."
    static let maxUpdateState = 10
    /// The `ContainerInstanceStatus` values a request may name (INACTIVE is not one of them).
    static let requestStatuses = ["ACTIVE", "DRAINING", "REGISTERING", "DEREGISTERING", "REGISTRATION_FAILED"]
    /// DescribeContainerInstances `include` (`ContainerInstanceField`).
    static let includeFields = ["TAGS", "CONTAINER_INSTANCE_HEALTH"]

    /// `totalResources`: each named once, with a known type and the value member that type uses.
    static func resources(_ resources: [ECSResource]) throws(ECSError) -> [ECSResource] {
        var seen: Set<String> = []
        var result: [ECSResource] = []
        for resource in resources {
            let name = try RequestValidation.required(resource.name, "Resource.name")
            let type = try RequestValidation.required(resource.type, "Resource.type")
            try RequestValidation.oneOf(type, ECSResource.types, member: "Resource.type")
            if !seen.insert(name).inserted {
                throw ECSError(.invalidParameterException, "Resource \(name) is specified more than once.")
            }
            switch type {
            case "INTEGER" where resource.integerValue == nil,
                 "LONG" where resource.longValue == nil,
                 "DOUBLE" where resource.doubleValue == nil:
                throw ECSError(.invalidParameterException, "Resource \(name) of type \(type) has no value.")
            case "INTEGER" where (resource.integerValue ?? 0) < 0:
                throw ECSError(.invalidParameterException, "Resource \(name) cannot be negative.")
            case "STRINGSET":
                for port in resource.stringSetValue ?? [] where name == ECSResource.portsName || name == ECSResource.udpPortsName {
                    guard let number = Int(port), (0...65535).contains(number) else {
                        throw ECSError(.invalidParameterException, "Resource \(name) holds '\(port)', which is not a port number.")
                    }
                }
            default: break
            }
            result.append(resource.normalized)
        }
        return result
    }

    /// `platformDevices`: `id` and `type` required, `type` GPU or NEURON_DEVICE.
    static func platformDevices(_ devices: [ECSPlatformDevice]) throws(ECSError) {
        for device in devices {
            _ = try RequestValidation.required(device.id, "PlatformDevice.id")
            let type = try RequestValidation.required(device.type, "PlatformDevice.type")
            try RequestValidation.oneOf(type, ECSPlatformDevice.types, member: "PlatformDevice.type")
        }
    }

    /// The `instanceId` of an instance identity document (a JSON object), if any.
    static func instanceID(fromIdentityDocument document: String?) throws(ECSError) -> String? {
        guard let document, !document.isEmpty else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any] else {
            throw ECSError(.invalidParameterException, "instanceIdentityDocument is not a JSON object.")
        }
        return object["instanceId"] as? String
    }
}
