/// Builds an `LBConfiguration` from a parsed document, field by field, checking each value
/// where it is read so that errors carry the value's own path and line. Cross-field rules
/// (references, uniqueness, timeout below interval) are checked here too, right after the
/// fields they relate.
struct ConfigurationDecoder {
    let source: String

    func decode(_ root: ConfigNode) throws(ConfigurationError) -> LBConfiguration {
        let top = try root.mapping(allowedKeys: ["workers", "listeners", "targetGroups", "timeouts", "limits"])
        var configuration = LBConfiguration()
        if let node = top.optional("workers") { configuration.workers = try node.int(in: LBConfiguration.workersRange) }
        if let node = top.optional("timeouts") { configuration.timeouts = try timeouts(node) }
        if let node = top.optional("limits") { configuration.limits = try limits(node) }

        var groupNames: Set<String> = []
        if let node = top.optional("targetGroups") {
            for element in try node.sequence() {
                let group = try targetGroup(element)
                if !groupNames.insert(group.name).inserted {
                    throw try element.mapping(allowedKeys: TargetGroupKeys.all).required("name")
                        .error(.duplicate, "target group name '\(group.name)' is used twice")
                }
                configuration.targetGroups.append(group)
            }
        }
        if let node = top.optional("listeners") {
            var names: Set<String> = []
            var ports: Set<Int> = []
            for element in try node.sequence() {
                let listener = try listener(element, limits: configuration.limits, groupNames: groupNames)
                let fields = try element.mapping(allowedKeys: ListenerKeys.all)
                if !names.insert(listener.name).inserted {
                    throw (fields.optional("name") ?? element).error(
                        .duplicate, "listener name '\(listener.name)' is used twice")
                }
                if !ports.insert(listener.port).inserted {
                    throw try fields.required("port").error(
                        .duplicate, "port \(listener.port) is used by two listeners")
                }
                configuration.listeners.append(listener)
            }
        }
        return configuration
    }

    // MARK: Listeners

    private enum ListenerKeys {
        static let all: Set<String> = [
            "name", "bindAddress", "port", "protocol", "certificates", "defaultTargetGroup", "maxConnections",
        ]
    }

    private func listener(
        _ node: ConfigNode, limits: LimitConfiguration, groupNames: Set<String>
    ) throws(ConfigurationError) -> ListenerConfiguration {
        let fields = try node.mapping(allowedKeys: ListenerKeys.all)
        let portNode = try fields.required("port")
        let port = try portNode.int(in: 1...65535)
        var listenerProtocol = ListenerConfiguration.ListenerProtocol.http
        if let protocolNode = fields.optional("protocol") {
            listenerProtocol = try oneOf(protocolNode, ListenerConfiguration.ListenerProtocol.self)
        }
        let name: String
        if let nameNode = fields.optional("name") {
            name = try nameNode.string()
            guard TargetGroupConfiguration.isValidName(name) else {
                throw nameNode.error(.invalidValue, "'\(name)' is not a valid name: \(Self.nameRule)")
            }
        } else {
            name = "\(listenerProtocol.rawValue.lowercased())-\(port)"
        }
        var bindAddress = "0.0.0.0"
        if let addressNode = fields.optional("bindAddress") {
            bindAddress = try addressNode.string()
            do {
                _ = try TargetEndpoint(host: bindAddress, port: port)
            } catch {
                throw addressNode.error(.invalidValue, error.description)
            }
        }
        var certificates: [CertificateConfiguration] = []
        let certificatesNode = fields.optional("certificates")
        if let certificatesNode {
            for element in try certificatesNode.sequence() {
                let certificateFields = try element.mapping(allowedKeys: ["certificate", "privateKey"])
                let certificate = try nonEmptyString(try certificateFields.required("certificate"))
                let privateKey = try nonEmptyString(try certificateFields.required("privateKey"))
                certificates.append(CertificateConfiguration(certificate: certificate, privateKey: privateKey))
            }
        }
        switch listenerProtocol {
        case .https where certificates.isEmpty:
            throw (certificatesNode ?? fields.owner).error(
                certificatesNode == nil ? .missingField : .invalidValue,
                "an HTTPS listener needs at least one certificate ({certificate, privateKey})")
        case .http where !certificates.isEmpty:
            throw (certificatesNode ?? fields.owner).error(.conflict, "certificates are only used by HTTPS listeners")
        default:
            break
        }
        let groupNode = try fields.required("defaultTargetGroup")
        let defaultGroup = try groupNode.string()
        guard groupNames.contains(defaultGroup) else {
            let known =
                groupNames.isEmpty ? "none are defined" : "defined: " + groupNames.sorted().joined(separator: ", ")
            throw groupNode.error(.unknownReference, "target group '\(defaultGroup)' does not exist (\(known))")
        }
        var maxConnections = limits.maxConnectionsPerListener
        if let node = fields.optional("maxConnections") { maxConnections = try node.int(in: 1...1_000_000) }
        do {
            return try ListenerConfiguration(
                name: name, bindAddress: bindAddress, port: port, protocol: listenerProtocol,
                certificates: certificates, defaultTargetGroup: defaultGroup, maxConnections: maxConnections)
        } catch {
            throw node.error(.invalidValue, error.description)
        }
    }

    // MARK: Target groups

    private enum TargetGroupKeys {
        static let all: Set<String> = [
            "name", "algorithm", "slowStartSeconds", "deregistrationDelaySeconds", "healthCheck", "outlierDetection",
            "targets",
        ]
    }

    static let nameRule = "1-32 letters, digits or hyphens, not starting or ending with a hyphen"

    private func targetGroup(_ node: ConfigNode) throws(ConfigurationError) -> TargetGroupConfiguration {
        let fields = try node.mapping(allowedKeys: TargetGroupKeys.all)
        let nameNode = try fields.required("name")
        let name = try nameNode.string()
        guard TargetGroupConfiguration.isValidName(name) else {
            throw nameNode.error(.invalidValue, "'\(name)' is not a valid target group name: \(Self.nameRule)")
        }
        var group = TargetGroupConfiguration(name: name)
        if let algorithmNode = fields.optional("algorithm") {
            group.algorithm = try oneOf(algorithmNode, TargetGroupConfiguration.Algorithm.self)
        }
        if let slowStartNode = fields.optional("slowStartSeconds") {
            group.slowStartSeconds = try slowStartNode.int(in: 0...TargetGroupConfiguration.slowStartRange.upperBound)
            if group.slowStartSeconds != 0
                && group.slowStartSeconds < TargetGroupConfiguration.slowStartRange.lowerBound
            {
                throw slowStartNode.error(
                    .outOfRange, "must be 0 (off) or between 30 and 900, found \(group.slowStartSeconds)")
            }
            // ALB: "You cannot enable both slow start mode and least outstanding requests."
            if group.slowStartSeconds != 0 && group.algorithm == .leastOutstandingRequests {
                throw slowStartNode.error(
                    .conflict, "slow start cannot be combined with the least_outstanding_requests algorithm (as in ALB)"
                )
            }
        }
        if let node = fields.optional("deregistrationDelaySeconds") {
            group.deregistrationDelaySeconds = try node.int(in: TargetGroupConfiguration.deregistrationDelayRange)
        }
        if let node = fields.optional("healthCheck") { group.healthCheck = try healthCheck(node) }
        if let node = fields.optional("outlierDetection") { group.outlierDetection = try outlierDetection(node) }
        if let targetsNode = fields.optional("targets") {
            var seen: Set<TargetEndpoint> = []
            for element in try targetsNode.sequence() {
                let (target, endpoint, addressNode) = try self.target(element)
                if !seen.insert(endpoint).inserted {
                    throw addressNode.error(.duplicate, "target \(endpoint) is listed twice in target group '\(name)'")
                }
                group.targets.append(target)
            }
        }
        return group
    }

    private func target(
        _ node: ConfigNode
    ) throws(ConfigurationError) -> (TargetConfiguration, TargetEndpoint, ConfigNode) {
        let fields = try node.mapping(allowedKeys: ["address", "port", "weight"])
        let addressNode = try fields.required("address")
        let address = try addressNode.string()
        let port = try fields.required("port").int(in: 1...65535)
        var weight = 1
        if let weightNode = fields.optional("weight") {
            weight = try weightNode.int(in: TargetConfiguration.weightRange)
        }
        let endpoint: TargetEndpoint
        do {
            endpoint = try TargetEndpoint(host: address, port: port)
        } catch {
            throw addressNode.error(.invalidValue, error.description)
        }
        return (TargetConfiguration(address: address, port: port, weight: weight), endpoint, addressNode)
    }

    private func healthCheck(_ node: ConfigNode) throws(ConfigurationError) -> HealthCheckConfiguration {
        let fields = try node.mapping(allowedKeys: [
            "enabled", "protocol", "path", "port", "intervalSeconds", "timeoutSeconds", "healthyThresholdCount",
            "unhealthyThresholdCount", "matcher",
        ])
        var check = HealthCheckConfiguration()
        if let node = fields.optional("enabled") { check.enabled = try node.bool() }
        if let node = fields.optional("protocol") {
            check.protocol = try oneOf(node, HealthCheckConfiguration.CheckProtocol.self)
        }
        if let pathNode = fields.optional("path") {
            let path = try pathNode.string()
            guard path.hasPrefix("/"), path.utf8.count <= HealthCheckConfiguration.maxPathLength,
                path.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
            else {
                throw pathNode.error(
                    .invalidValue,
                    "must start with '/', be at most \(HealthCheckConfiguration.maxPathLength) characters and contain no spaces or control characters"
                )
            }
            check.path = path
        }
        if let portNode = fields.optional("port") {
            if case .scalar(let scalar) = portNode.node, scalar.string == "traffic-port" {
                check.port = .trafficPort
            } else if case .scalar(let scalar) = portNode.node, scalar.style == .plain,
                ConfigNode.decimalInteger(scalar.string) != nil
            {
                check.port = .number(try portNode.int(in: 1...65535))
            } else {
                throw portNode.error(
                    .wrongType, "expected \"traffic-port\" or a port number, found \(portNode.foundDescription)")
            }
        }
        let intervalNode = fields.optional("intervalSeconds")
        if let intervalNode { check.intervalSeconds = try intervalNode.int(in: HealthCheckConfiguration.intervalRange) }
        if let timeoutNode = fields.optional("timeoutSeconds") {
            check.timeoutSeconds = try timeoutNode.int(in: HealthCheckConfiguration.timeoutRange)
            // ALB: "The timeout must be smaller than the interval."
            guard check.timeoutSeconds < check.intervalSeconds else {
                throw timeoutNode.error(
                    .conflict,
                    "must be less than intervalSeconds (\(check.intervalSeconds)), found \(check.timeoutSeconds)")
            }
        } else {
            // Not ALB's rule (it would refuse interval 5 with the default timeout 5): an unset
            // timeout follows a short interval down, so `intervalSeconds: 5` alone is valid.
            check.timeoutSeconds = min(check.timeoutSeconds, check.intervalSeconds - 1)
        }
        if let node = fields.optional("healthyThresholdCount") {
            check.healthyThresholdCount = try node.int(in: HealthCheckConfiguration.thresholdRange)
        }
        if let node = fields.optional("unhealthyThresholdCount") {
            check.unhealthyThresholdCount = try node.int(in: HealthCheckConfiguration.thresholdRange)
        }
        if let matcherNode = fields.optional("matcher") {
            let text = try matcherNode.string()
            do {
                check.matcher = try HTTPStatusMatcher(parsing: text)
            } catch {
                throw matcherNode.error(.invalidValue, "invalid matcher \"\(text)\": \(error.description)")
            }
        }
        return check
    }

    private func outlierDetection(_ node: ConfigNode) throws(ConfigurationError) -> OutlierDetectionConfiguration {
        let fields = try node.mapping(allowedKeys: [
            "enabled", "consecutive5xx", "consecutiveGatewayFailures", "baseEjectionSeconds", "maxEjectionSeconds",
            "maxEjectionPercent",
        ])
        var detection = OutlierDetectionConfiguration()
        if let node = fields.optional("enabled") { detection.enabled = try node.bool() }
        if let node = fields.optional("consecutive5xx") {
            detection.consecutive5xx = try node.int(in: OutlierDetectionConfiguration.countRange)
        }
        if let node = fields.optional("consecutiveGatewayFailures") {
            detection.consecutiveGatewayFailures = try node.int(in: OutlierDetectionConfiguration.countRange)
        }
        if let node = fields.optional("baseEjectionSeconds") {
            detection.baseEjectionSeconds = try node.double(in: OutlierDetectionConfiguration.ejectionSecondsRange)
        }
        if let maxNode = fields.optional("maxEjectionSeconds") {
            detection.maxEjectionSeconds = try maxNode.double(in: OutlierDetectionConfiguration.ejectionSecondsRange)
            guard detection.maxEjectionSeconds >= detection.baseEjectionSeconds else {
                throw maxNode.error(
                    .conflict,
                    "must be at least baseEjectionSeconds (\(ConfigNode.format(detection.baseEjectionSeconds)))")
            }
        } else {
            detection.maxEjectionSeconds = max(detection.maxEjectionSeconds, detection.baseEjectionSeconds)
        }
        if let node = fields.optional("maxEjectionPercent") {
            detection.maxEjectionPercent = try node.int(in: OutlierDetectionConfiguration.percentRange)
        }
        return detection
    }

    // MARK: Timeouts and limits

    private func timeouts(_ node: ConfigNode) throws(ConfigurationError) -> TimeoutConfiguration {
        let fields = try node.mapping(allowedKeys: Set(TimeoutConfiguration.fields.map(\.key)))
        var timeouts = TimeoutConfiguration()
        for field in TimeoutConfiguration.fields {
            if let value = fields.optional(field.key) {
                timeouts[keyPath: field.path] = try value.double(in: TimeoutConfiguration.allowedRange)
            }
        }
        return timeouts
    }

    private func limits(_ node: ConfigNode) throws(ConfigurationError) -> LimitConfiguration {
        let fields = try node.mapping(allowedKeys: Set(LimitConfiguration.fields.map(\.key)))
        var limits = LimitConfiguration()
        for field in LimitConfiguration.fields {
            if let value = fields.optional(field.key) { limits[keyPath: field.path] = try value.int(in: field.range) }
        }
        if limits.maxHeadLength < limits.maxRequestLineLength {
            if let headNode = fields.optional("maxHeadLength") {
                throw headNode.error(.conflict, "must be at least maxRequestLineLength (\(limits.maxRequestLineLength))")
            }
            if let lineNode = fields.optional("maxRequestLineLength") {
                throw lineNode.error(.conflict, "must be at most maxHeadLength (\(limits.maxHeadLength))")
            }
        }
        return limits
    }

    // MARK: Helpers

    private func oneOf<Value: RawRepresentable & CaseIterable>(
        _ node: ConfigNode, _ type: Value.Type
    ) throws(ConfigurationError) -> Value where Value.RawValue == String {
        let text = try node.string()
        for value in Value.allCases where value.rawValue.lowercased() == text.lowercased() { return value }
        let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
        throw node.error(.invalidValue, "'\(text)' is not one of \(allowed)")
    }

    private func nonEmptyString(_ node: ConfigNode) throws(ConfigurationError) -> String {
        let text = try node.string()
        guard !text.isEmpty else { throw node.error(.invalidValue, "must not be empty") }
        return text
    }
}
