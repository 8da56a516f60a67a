import XCTest

@testable import LB

/// Valid configurations in YAML and JSON, every default, and the example file.
final class ConfigParsingTests: XCTestCase {
    static let minimalYAML = """
        listeners:
          - port: 8003
            defaultTargetGroup: web
        targetGroups:
          - name: web
            targets:
              - address: 127.0.0.1
                port: 9001
        """

    func testMinimalYAMLGetsEveryDefault() throws {
        let configuration = try LBConfiguration.parse(Self.minimalYAML, source: "minimal.yaml")
        XCTAssertEqual(configuration.workers, 0)

        XCTAssertEqual(configuration.listeners.count, 1)
        let listener = configuration.listeners[0]
        XCTAssertEqual(listener.name, "http-8003")
        XCTAssertEqual(listener.bindAddress, "0.0.0.0")
        XCTAssertEqual(listener.port, 8003)
        XCTAssertEqual(listener.protocol, .http)
        XCTAssertEqual(listener.certificates, [])
        XCTAssertEqual(listener.defaultTargetGroup, "web")
        XCTAssertEqual(listener.maxConnections, 10_000)

        let group = configuration.targetGroups[0]
        XCTAssertEqual(group.name, "web")
        XCTAssertEqual(group.algorithm, .roundRobin)
        XCTAssertEqual(group.slowStartSeconds, 0)
        XCTAssertEqual(group.deregistrationDelaySeconds, 300)
        XCTAssertEqual(group.targets, [TargetConfiguration(address: "127.0.0.1", port: 9001, weight: 1)])

        let check = group.healthCheck
        XCTAssertTrue(check.enabled)
        XCTAssertEqual(check.protocol, .http)
        XCTAssertEqual(check.path, "/")
        XCTAssertEqual(check.port, .trafficPort)
        XCTAssertEqual(check.intervalSeconds, 30)
        XCTAssertEqual(check.timeoutSeconds, 5)
        XCTAssertEqual(check.healthyThresholdCount, 5)
        XCTAssertEqual(check.unhealthyThresholdCount, 2)
        XCTAssertEqual(check.matcher.description, "200")

        let outlier = group.outlierDetection
        XCTAssertTrue(outlier.enabled)
        XCTAssertEqual(outlier.consecutive5xx, 5)
        XCTAssertEqual(outlier.consecutiveGatewayFailures, 3)
        XCTAssertEqual(outlier.baseEjectionSeconds, 30)
        XCTAssertEqual(outlier.maxEjectionSeconds, 300)
        XCTAssertEqual(outlier.maxEjectionPercent, 50)

        let timeouts = configuration.timeouts
        XCTAssertEqual(timeouts.clientHeaderRead, 10)
        XCTAssertEqual(timeouts.clientBodyIdle, 60)
        XCTAssertEqual(timeouts.clientIdleKeepAlive, 60)
        XCTAssertEqual(timeouts.clientWriteStall, 60)
        XCTAssertEqual(timeouts.tlsHandshake, 10)
        XCTAssertEqual(timeouts.targetConnect, 5)
        XCTAssertEqual(timeouts.targetResponse, 60)
        XCTAssertEqual(timeouts.targetIdle, 60)
        XCTAssertEqual(timeouts.shutdownGrace, 30)

        let limits = configuration.limits
        XCTAssertEqual(limits.maxRequestLineLength, 16_384)
        XCTAssertEqual(limits.maxHeaderFieldLength, 16_384)
        XCTAssertEqual(limits.maxHeadLength, 65_536)
        XCTAssertEqual(limits.maxFieldCount, 100)
        XCTAssertEqual(limits.maxConnectionsPerListener, 10_000)
        XCTAssertEqual(limits.maxIdleConnectionsPerTarget, 32)
        XCTAssertEqual(limits.targetConnectAttempts, 2)
    }

    func testFullYAMLSetsEveryField() throws {
        let text = """
            workers: 4
            limits:
              maxConnectionsPerListener: 500
              maxFieldCount: 50
            timeouts:
              clientHeaderRead: 2.5
              targetConnect: 1
            listeners:
              - name: public
                bindAddress: "::"
                port: 8443
                protocol: HTTPS
                certificates:
                  - certificate: /etc/wharf/a.pem
                    privateKey: /etc/wharf/a.key
                defaultTargetGroup: api
              - port: 8080
                defaultTargetGroup: api
                maxConnections: 20
            targetGroups:
              - name: api
                algorithm: weighted_random
                slowStartSeconds: 60
                deregistrationDelaySeconds: 0
                healthCheck:
                  enabled: false
                  protocol: HTTPS
                  path: /healthz?full=1
                  port: 9100
                  intervalSeconds: 10
                  timeoutSeconds: 3
                  healthyThresholdCount: 3
                  unhealthyThresholdCount: 4
                  matcher: 200-299,302
                outlierDetection:
                  enabled: false
                  consecutive5xx: 0
                  consecutiveGatewayFailures: 7
                  baseEjectionSeconds: 1.5
                  maxEjectionSeconds: 20
                  maxEjectionPercent: 100
                targets:
                  - {address: "10.0.0.7", port: 80, weight: 3}
                  - {address: "fd00::7", port: 80, weight: 0}
            """
        let configuration = try LBConfiguration.parse(text)
        XCTAssertEqual(configuration.workers, 4)
        XCTAssertEqual(configuration.limits.maxConnectionsPerListener, 500)
        XCTAssertEqual(configuration.limits.maxFieldCount, 50)
        XCTAssertEqual(configuration.timeouts.clientHeaderRead, 2.5)
        XCTAssertEqual(configuration.timeouts.targetConnect, 1)

        let https = configuration.listeners[0]
        XCTAssertEqual(https.name, "public")
        XCTAssertEqual(https.bindAddress, "::")
        XCTAssertEqual(https.bindEndpoint.family, AF_INET6)
        XCTAssertEqual(https.protocol, .https)
        XCTAssertEqual(
            https.certificates,
            [CertificateConfiguration(certificate: "/etc/wharf/a.pem", privateKey: "/etc/wharf/a.key")])
        XCTAssertEqual(https.maxConnections, 500, "defaults to limits.maxConnectionsPerListener")
        XCTAssertEqual(configuration.listeners[1].name, "http-8080")
        XCTAssertEqual(configuration.listeners[1].maxConnections, 20)

        let group = configuration.targetGroups[0]
        XCTAssertEqual(group.algorithm, .weightedRandom)
        XCTAssertEqual(group.slowStartSeconds, 60)
        XCTAssertEqual(group.deregistrationDelaySeconds, 0)
        XCTAssertFalse(group.healthCheck.enabled)
        XCTAssertEqual(group.healthCheck.protocol, .https)
        XCTAssertEqual(group.healthCheck.path, "/healthz?full=1")
        XCTAssertEqual(group.healthCheck.port, .number(9100))
        XCTAssertEqual(group.healthCheck.intervalSeconds, 10)
        XCTAssertEqual(group.healthCheck.timeoutSeconds, 3)
        XCTAssertEqual(group.healthCheck.healthyThresholdCount, 3)
        XCTAssertEqual(group.healthCheck.unhealthyThresholdCount, 4)
        XCTAssertEqual(group.healthCheck.matcher.description, "200-299,302")
        XCTAssertFalse(group.outlierDetection.enabled)
        XCTAssertEqual(group.outlierDetection.consecutive5xx, 0)
        XCTAssertEqual(group.outlierDetection.consecutiveGatewayFailures, 7)
        XCTAssertEqual(group.outlierDetection.baseEjectionSeconds, 1.5)
        XCTAssertEqual(group.outlierDetection.maxEjectionSeconds, 20)
        XCTAssertEqual(group.outlierDetection.maxEjectionPercent, 100)
        XCTAssertEqual(
            group.targets,
            [
                TargetConfiguration(address: "10.0.0.7", port: 80, weight: 3),
                TargetConfiguration(address: "fd00::7", port: 80, weight: 0),
            ])
    }

    func testJSONIsAccepted() throws {
        let json = """
            {"workers":2,"listeners":[{"name":"web","port":8003,"defaultTargetGroup":"web"}],
             "targetGroups":[{"name":"web","algorithm":"least_outstanding_requests",
               "healthCheck":{"intervalSeconds":5,"matcher":"200,204"},
               "targets":[{"address":"127.0.0.1","port":9001},{"address":"127.0.0.1","port":9002,"weight":2}]}],
             "timeouts":{"targetResponse":0.25}}
            """
        let configuration = try LBConfiguration.parse(json, source: "lb.json")
        XCTAssertEqual(configuration.workers, 2)
        XCTAssertEqual(configuration.listeners[0].name, "web")
        XCTAssertEqual(configuration.targetGroups[0].algorithm, .leastOutstandingRequests)
        XCTAssertEqual(configuration.targetGroups[0].healthCheck.intervalSeconds, 5)
        XCTAssertEqual(
            configuration.targetGroups[0].healthCheck.timeoutSeconds, 4, "an unset timeout follows a short interval")
        XCTAssertTrue(configuration.targetGroups[0].healthCheck.matcher.matches(204))
        XCTAssertEqual(configuration.targetGroups[0].targets.map(\.weight), [1, 2])
        XCTAssertEqual(configuration.timeouts.targetResponse, 0.25)
    }

    func testExampleFileIsTheBenchmarkConfiguration() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../configs/lb.yaml"
        )
        .standardized.path
        let configuration = try LBConfiguration.load(path: path)
        XCTAssertEqual(configuration.listeners.count, 1)
        XCTAssertEqual(configuration.listeners[0].port, 8003)
        XCTAssertEqual(configuration.listeners[0].protocol, .http)
        let group = try XCTUnwrap(
            configuration.targetGroups.first { $0.name == configuration.listeners[0].defaultTargetGroup })
        XCTAssertEqual(group.algorithm, .roundRobin)
        XCTAssertEqual(group.targets.map { "\($0.address):\($0.port)" }, ["127.0.0.1:9001", "127.0.0.1:9002"])
        // The example spells out the defaults: it must equal the minimal form with the same ports.
        var minimal = try LBConfiguration.parse(
            """
            listeners: [{name: bench, port: 8003, defaultTargetGroup: bench-targets}]
            targetGroups:
              - name: bench-targets
                targets: [{address: 127.0.0.1, port: 9001}, {address: 127.0.0.1, port: 9002}]
            """)
        minimal.listeners[0].maxConnections = configuration.listeners[0].maxConnections
        XCTAssertEqual(configuration, minimal, "a value in configs/lb.yaml differs from the default its comment claims")
    }

    func testRelativeCertificatePathsAreResolvedAgainstTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "lbconfig-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("lb.yaml")
        try """
        listeners:
          - {port: 443, protocol: HTTPS, defaultTargetGroup: web,
             certificates: [{certificate: tls/web.pem, privateKey: /abs/web.key}]}
        targetGroups: [{name: web}]
        """.write(to: file, atomically: true, encoding: .utf8)
        let configuration = try LBConfiguration.load(path: file.path)
        XCTAssertEqual(configuration.listeners[0].certificates[0].certificate, directory.path + "/tls/web.pem")
        XCTAssertEqual(configuration.listeners[0].certificates[0].privateKey, "/abs/web.key")
    }

    func testMissingFileIsUnreadable() {
        XCTAssertThrowsError(try LBConfiguration.load(path: "/nonexistent/lb.yaml")) { error in
            let error = error as? ConfigurationError
            XCTAssertEqual(error?.kind, .unreadable)
            XCTAssertEqual(error?.source, "/nonexistent/lb.yaml")
        }
    }
}
