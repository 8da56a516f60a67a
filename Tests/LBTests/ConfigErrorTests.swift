import XCTest

@testable import LB

/// Every refusal names the field path and the line.
final class ConfigErrorTests: XCTestCase {
    /// Parses `text` expecting a refusal of `kind` at `field` on `line`.
    private func assertRefused(
        _ text: String, kind: ConfigurationError.Kind, field: String, line: Int?, messageContains: String? = nil,
        file: StaticString = #filePath, sourceLine: UInt = #line
    ) {
        do {
            _ = try LBConfiguration.parse(text, source: "test.yaml")
            XCTFail("accepted, expected \(kind) at \(field)", file: file, line: sourceLine)
        } catch {
            XCTAssertEqual(error.kind, kind, "\(error)", file: file, line: sourceLine)
            XCTAssertEqual(error.field, field, "\(error)", file: file, line: sourceLine)
            XCTAssertEqual(error.line, line, "\(error)", file: file, line: sourceLine)
            XCTAssertEqual(error.source, "test.yaml", file: file, line: sourceLine)
            if let messageContains {
                XCTAssertTrue(error.message.contains(messageContains), "\(error)", file: file, line: sourceLine)
            }
        }
    }

    /// A valid document with `healthCheck` lines inserted for the second group (line 9 onward).
    private func twoGroups(healthCheck: String) -> String {
        """
        listeners:
          - port: 80
            defaultTargetGroup: a
        targetGroups:
          - name: a
          - name: b
            healthCheck:
        \(healthCheck)
        """
    }

    func testUnknownKeyIsNamedWithItsLine() {
        assertRefused(
            twoGroups(healthCheck: "      intervalSeconds: 10\n      intervalSecs: 10"),
            kind: .unknownKey, field: "targetGroups[1].healthCheck.intervalSecs", line: 9,
            messageContains: "intervalSecs")
        assertRefused("workers: 1\nlisteners: []\nbogus: true", kind: .unknownKey, field: "bogus", line: 3)
    }

    func testWrongTypes() {
        assertRefused(
            twoGroups(healthCheck: "      intervalSeconds: \"10\""), kind: .wrongType,
            field: "targetGroups[1].healthCheck.intervalSeconds", line: 8, messageContains: "expected an integer")
        assertRefused(
            twoGroups(healthCheck: "      enabled: maybe"), kind: .wrongType,
            field: "targetGroups[1].healthCheck.enabled",
            line: 8)
        assertRefused(
            "listeners: {port: 80}", kind: .wrongType, field: "listeners", line: 1, messageContains: "expected a list")
        assertRefused("workers: [1]", kind: .wrongType, field: "workers", line: 1)
        assertRefused("timeouts:\n  targetConnect: soon", kind: .wrongType, field: "timeouts.targetConnect", line: 2)
        assertRefused(
            twoGroups(healthCheck: "      port: eighty"), kind: .wrongType, field: "targetGroups[1].healthCheck.port",
            line: 8,
            messageContains: "traffic-port")
    }

    func testOutOfRange() {
        assertRefused(
            twoGroups(healthCheck: "      intervalSeconds: 1"), kind: .outOfRange,
            field: "targetGroups[1].healthCheck.intervalSeconds", line: 8, messageContains: "between 2 and 300, found 1"
        )
        assertRefused(
            twoGroups(healthCheck: "      healthyThresholdCount: 11"), kind: .outOfRange,
            field: "targetGroups[1].healthCheck.healthyThresholdCount", line: 8)
        assertRefused(
            "targetGroups:\n  - name: a\n    slowStartSeconds: 10", kind: .outOfRange,
            field: "targetGroups[0].slowStartSeconds",
            line: 3, messageContains: "0 (off) or between 30 and 900")
        assertRefused(
            "targetGroups:\n  - name: a\n    deregistrationDelaySeconds: 3601", kind: .outOfRange,
            field: "targetGroups[0].deregistrationDelaySeconds", line: 3)
        assertRefused(
            "targetGroups:\n  - name: a\n    targets:\n      - address: 10.0.0.1\n        port: 80\n        weight: 1000",
            kind: .outOfRange, field: "targetGroups[0].targets[0].weight", line: 6)
        assertRefused(
            "timeouts:\n  clientHeaderRead: 0", kind: .outOfRange, field: "timeouts.clientHeaderRead", line: 2)
        assertRefused(
            "listeners:\n  - port: 70000\n    defaultTargetGroup: a", kind: .outOfRange, field: "listeners[0].port",
            line: 2)
    }

    /// Limits the engine cannot honour are refused with the real maximum, not capped silently.
    func testHeadLimitsAboveWhatTheEngineHoldsAreRefused() {
        assertRefused(
            "limits:\n  maxHeadLength: 65537", kind: .outOfRange, field: "limits.maxHeadLength", line: 2,
            messageContains: "between 256 and 65536, found 65537")
        assertRefused(
            "limits:\n  maxHeaderFieldLength: 100000", kind: .outOfRange, field: "limits.maxHeaderFieldLength", line: 2,
            messageContains: "between 64 and 65536")
        assertRefused(
            "limits:\n  maxRequestLineLength: 8192\n  maxHeadLength: 4096", kind: .conflict, field: "limits.maxHeadLength",
            line: 3, messageContains: "at least maxRequestLineLength (8192)")
        assertRefused(
            "limits:\n  maxHeadLength: 4096\n  maxRequestLineLength: 8192", kind: .conflict, field: "limits.maxHeadLength",
            line: 2)
    }

    func testTimeoutMustBeBelowInterval() {
        assertRefused(
            twoGroups(healthCheck: "      intervalSeconds: 10\n      timeoutSeconds: 10"), kind: .conflict,
            field: "targetGroups[1].healthCheck.timeoutSeconds", line: 9,
            messageContains: "less than intervalSeconds (10)")
    }

    func testBadMatcher() {
        assertRefused(
            twoGroups(healthCheck: "      matcher: \"200-\""), kind: .invalidValue,
            field: "targetGroups[1].healthCheck.matcher",
            line: 8)
        assertRefused(
            twoGroups(healthCheck: "      matcher: \"500\""), kind: .invalidValue,
            field: "targetGroups[1].healthCheck.matcher",
            line: 8, messageContains: "outside 200-499")
        assertRefused(
            twoGroups(healthCheck: "      matcher: \"299-200\""), kind: .invalidValue,
            field: "targetGroups[1].healthCheck.matcher", line: 8, messageContains: "ends before it starts")
    }

    func testUnknownDefaultTargetGroup() {
        assertRefused(
            "targetGroups:\n  - name: web\nlisteners:\n  - port: 80\n    defaultTargetGroup: api",
            kind: .unknownReference,
            field: "listeners[0].defaultTargetGroup", line: 5, messageContains: "'api' does not exist")
    }

    func testDuplicatePort() {
        assertRefused(
            """
            targetGroups: [{name: web}]
            listeners:
              - {name: one, port: 80, defaultTargetGroup: web}
              - name: two
                port: 80
                defaultTargetGroup: web
            """, kind: .duplicate, field: "listeners[1].port", line: 5, messageContains: "port 80")
    }

    func testDuplicateNamesAndTargets() {
        assertRefused(
            "targetGroups:\n  - name: web\n  - name: web", kind: .duplicate, field: "targetGroups[1].name", line: 3)
        assertRefused(
            """
            targetGroups: [{name: web}]
            listeners:
              - {name: one, port: 80, defaultTargetGroup: web}
              - {name: one, port: 81, defaultTargetGroup: web}
            """, kind: .duplicate, field: "listeners[1].name", line: 4)
        assertRefused(
            """
            targetGroups:
              - name: web
                targets:
                  - {address: 10.0.0.1, port: 80}
                  - {address: 10.0.0.1, port: 80}
            """, kind: .duplicate, field: "targetGroups[0].targets[1].address", line: 5)
        assertRefused(
            "workers: 1\nlimits:\n  maxFieldCount: 5\n  maxFieldCount: 6", kind: .duplicate, field: "maxFieldCount",
            line: 3,
            messageContains: "'maxFieldCount' appears more than once")
    }

    func testInvalidValues() {
        assertRefused(
            "targetGroups:\n  - name: web\n    algorithm: fastest", kind: .invalidValue,
            field: "targetGroups[0].algorithm",
            line: 3, messageContains: "round_robin, least_outstanding_requests, weighted_random")
        assertRefused(
            "targetGroups:\n  - name: -web", kind: .invalidValue, field: "targetGroups[0].name", line: 2)
        assertRefused(
            "targetGroups:\n  - name: web\n    targets:\n      - {address: example.com, port: 80}", kind: .invalidValue,
            field: "targetGroups[0].targets[0].address", line: 4, messageContains: "not an IPv4 or IPv6 address")
        assertRefused(
            "targetGroups: [{name: web}]\nlisteners:\n  - port: 80\n    bindAddress: 10.0.0.300\n    defaultTargetGroup: web",
            kind: .invalidValue, field: "listeners[0].bindAddress", line: 4)
        assertRefused(
            twoGroups(healthCheck: "      path: health"), kind: .invalidValue,
            field: "targetGroups[1].healthCheck.path", line: 8)
    }

    func testMissingFields() {
        assertRefused(
            "targetGroups: [{name: web}]\nlisteners:\n  - defaultTargetGroup: web", kind: .missingField,
            field: "listeners[0].port",
            line: 3)
        assertRefused(
            "targetGroups:\n  - algorithm: round_robin", kind: .missingField, field: "targetGroups[0].name", line: 2)
        assertRefused(
            "targetGroups: [{name: web}]\nlisteners:\n  - port: 443\n    protocol: HTTPS\n    defaultTargetGroup: web",
            kind: .missingField, field: "listeners[0]", line: 3, messageContains: "certificate")
    }

    func testConflicts() {
        assertRefused(
            "targetGroups:\n  - name: web\n    algorithm: least_outstanding_requests\n    slowStartSeconds: 30",
            kind: .conflict,
            field: "targetGroups[0].slowStartSeconds", line: 4, messageContains: "least_outstanding_requests")
        assertRefused(
            "targetGroups:\n  - name: web\n    outlierDetection:\n      baseEjectionSeconds: 60\n      maxEjectionSeconds: 30",
            kind: .conflict, field: "targetGroups[0].outlierDetection.maxEjectionSeconds", line: 5)
        assertRefused(
            """
            targetGroups: [{name: web}]
            listeners:
              - port: 80
                defaultTargetGroup: web
                certificates: [{certificate: a.pem, privateKey: a.key}]
            """, kind: .conflict, field: "listeners[0].certificates", line: 5)
    }

    func testSyntaxErrorsCarryTheLine() {
        assertRefused("listeners:\n  - port: 80\n   bad: [", kind: .syntax, field: "", line: 3)
        assertRefused("{\"workers\": 1,\n \"listeners\": [}", kind: .syntax, field: "", line: 2)
        assertRefused("", kind: .syntax, field: "", line: nil, messageContains: "empty")
    }

    func testDescriptionNamesSourceLineAndField() {
        let error = ConfigurationError(
            .outOfRange, source: "lb.yaml", field: "targetGroups[1].healthCheck.intervalSeconds", line: 12,
            message: "must be between 5 and 300, found 3")
        XCTAssertEqual(
            error.description,
            "lb.yaml:12: targetGroups[1].healthCheck.intervalSeconds: must be between 5 and 300, found 3")
    }
}
