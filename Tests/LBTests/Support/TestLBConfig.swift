import LB

/// A load balancer configuration for a test, written out as the YAML a user would write (so
/// every test also goes through `LBConfiguration.parse`).
struct TestLBConfig {
    struct Listener {
        var name: String
        var port: Int
        var group: String
        var https = false
        /// (certificate, private key) paths; the first is the default.
        var certificates: [(String, String)] = []
    }

    struct HealthCheck {
        var enabled = true
        var path = "/health"
        var intervalSeconds = 5
        var timeoutSeconds = 2
        var healthyThresholdCount = 2
        var unhealthyThresholdCount = 2
        var matcher = "200"
    }

    struct Group {
        var name: String
        var algorithm = "round_robin"
        var targets: [(port: Int, weight: Int)]
        var healthCheck = HealthCheck()
        var deregistrationDelaySeconds = 300
        /// `outlierDetection` keys and values, as written in YAML.
        var outlierDetection: [(String, String)] = []
    }

    var workers = 2
    var listeners: [Listener]
    var groups: [Group]
    /// `timeouts` keys and seconds. Short defaults keep the tests fast.
    var timeouts: [(String, Double)] = [("shutdownGrace", 5)]
    var limits: [(String, Int)] = []

    /// One HTTP listener on `port` in front of group `web` with `targets` (weight 1), health
    /// checks on `/health` every 5 s.
    static func simple(port: Int, targets: [Int], algorithm: String = "round_robin", workers: Int = 2) -> TestLBConfig {
        TestLBConfig(
            workers: workers,
            listeners: [Listener(name: "front", port: port, group: "web")],
            groups: [Group(name: "web", algorithm: algorithm, targets: targets.map { ($0, 1) })]
        )
    }

    var yaml: String {
        var lines = ["workers: \(workers)", "listeners:"]
        for listener in listeners {
            lines.append("  - name: \(listener.name)")
            lines.append("    bindAddress: 127.0.0.1")
            lines.append("    port: \(listener.port)")
            lines.append("    protocol: \(listener.https ? "HTTPS" : "HTTP")")
            lines.append("    defaultTargetGroup: \(listener.group)")
            if !listener.certificates.isEmpty {
                lines.append("    certificates:")
                for (certificate, key) in listener.certificates {
                    lines.append("      - certificate: \(certificate)")
                    lines.append("        privateKey: \(key)")
                }
            }
        }
        lines.append("targetGroups:")
        for group in groups {
            lines.append("  - name: \(group.name)")
            lines.append("    algorithm: \(group.algorithm)")
            lines.append("    deregistrationDelaySeconds: \(group.deregistrationDelaySeconds)")
            let check = group.healthCheck
            lines.append("    healthCheck:")
            lines.append("      enabled: \(check.enabled)")
            lines.append("      path: \(check.path)")
            lines.append("      intervalSeconds: \(check.intervalSeconds)")
            lines.append("      timeoutSeconds: \(check.timeoutSeconds)")
            lines.append("      healthyThresholdCount: \(check.healthyThresholdCount)")
            lines.append("      unhealthyThresholdCount: \(check.unhealthyThresholdCount)")
            lines.append("      matcher: \"\(check.matcher)\"")
            if !group.outlierDetection.isEmpty {
                lines.append("    outlierDetection:")
                for (key, value) in group.outlierDetection { lines.append("      \(key): \(value)") }
            }
            if group.targets.isEmpty {
                lines.append("    targets: []")
            } else {
                lines.append("    targets:")
                for target in group.targets {
                    lines.append("      - address: 127.0.0.1")
                    lines.append("        port: \(target.port)")
                    lines.append("        weight: \(target.weight)")
                }
            }
        }
        if !timeouts.isEmpty {
            lines.append("timeouts:")
            for (key, value) in timeouts { lines.append("  \(key): \(value)") }
        }
        if !limits.isEmpty {
            lines.append("limits:")
            for (key, value) in limits { lines.append("  \(key): \(value)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The configuration as the load balancer reads it.
    func parsed() throws -> LBConfiguration {
        try LBConfiguration.parse(yaml, source: "test")
    }
}
