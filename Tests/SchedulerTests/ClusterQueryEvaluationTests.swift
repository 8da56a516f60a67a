@testable import Scheduler
import XCTest

/// What each subject and operator selects.
final class ClusterQueryEvaluationTests: XCTestCase {
    private func matches(_ source: String, _ instance: ContainerInstanceCandidate, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        Fixture.query(source, file: file, line: line).matches(instance)
    }

    private let t2 = Fixture.instance(1, az: "us-east-1a", type: "t2.small", groups: ["service:web": 2, "family:batch": 1],
                                      extra: ["stack": "prod", "gpu": String?.none, "size": "16", "version": "1.14.5"])
    private let g2 = Fixture.instance(2, az: "us-east-1d", type: "g2.2xlarge", extra: ["size": "4", "version": "1.2.10"])

    func testStringEqualityAndLists() {
        XCTAssertTrue(matches("attribute:ecs.instance-type == t2.small", t2))
        XCTAssertFalse(matches("attribute:ecs.instance-type == t2.small", g2))
        XCTAssertTrue(matches("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", t2))
        XCTAssertFalse(matches("attribute:ecs.availability-zone in [us-east-1a, us-east-1b]", g2))
        XCTAssertTrue(matches("attribute:ecs.availability-zone not_in [us-east-1a, us-east-1b]", g2))
        XCTAssertTrue(matches("attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1c", g2))
        XCTAssertFalse(matches("attribute:ecs.instance-type =~ g2.* and attribute:ecs.availability-zone != us-east-1d", g2))
        XCTAssertTrue(matches("ec2InstanceId in ['i-1', 'i-9']", t2))
        XCTAssertTrue(matches("ec2InstanceId =~ i-[0-9]+", t2))
        XCTAssertTrue(matches("attribute:stack == 'prod'", t2))
    }

    /// ECS's example: `attribute:stack != prod` lists the instances *with* a `stack` attribute
    /// unless it is `prod`; instances without the attribute are not selected.
    func testMissingAttributeSatisfiesOnlyNegationsOfExistence() {
        XCTAssertFalse(matches("attribute:stack != prod", g2))
        XCTAssertFalse(matches("attribute:stack not_in [prod]", g2))
        XCTAssertFalse(matches("attribute:stack !~ p.*", g2))
        XCTAssertTrue(matches("not(attribute:stack == prod)", g2))
        XCTAssertTrue(matches("attribute:stack !exists", g2))
        XCTAssertFalse(matches("attribute:stack exists", g2))
        var staging = g2
        staging.setAttribute("stack", value: "staging")
        XCTAssertTrue(matches("attribute:stack != prod", staging))
    }

    func testAttributesWithoutValueExistButCompareToNothing() {
        XCTAssertTrue(matches("attribute:gpu exists", t2))
        XCTAssertFalse(matches("attribute:gpu not_exists", t2))
        XCTAssertFalse(matches("attribute:gpu == ''", t2))
        XCTAssertFalse(matches("attribute:gpu != x", t2))
    }

    func testOrderingComparesNumbersVersionsAndText() {
        XCTAssertTrue(matches("attribute:size > 9", t2))  // 16 > 9 as numbers, not as text
        XCTAssertFalse(matches("attribute:size > 9", g2))
        XCTAssertTrue(matches("attribute:size >= 16 and attribute:size <= 16", t2))
        XCTAssertTrue(matches("attribute:version > 1.9.0", t2))  // 1.14.5 > 1.9.0 as versions
        XCTAssertTrue(matches("attribute:version < 1.2.11", g2))
        XCTAssertTrue(matches("attribute:ecs.availability-zone < us-east-1b", t2))  // as text
        XCTAssertFalse(matches("attribute:ecs.availability-zone < us-east-1b", g2))
    }

    func testAgentRegistrationAndTaskCountSubjects() {
        XCTAssertTrue(matches("agentVersion >= 1.51.0", t2))
        XCTAssertTrue(matches("agentVersion < 1.100", t2))
        XCTAssertFalse(matches("agentVersion < 1.14.5", t2))
        XCTAssertTrue(matches("agentConnected == true", t2))
        var disconnected = t2
        disconnected.agentConnected = false
        XCTAssertTrue(matches("agentConnected != true", disconnected))
        // Registered at 1_700_000_001 = 2023-11-14T22:13:21Z.
        XCTAssertTrue(matches("registeredAt > 2023-11-14", t2))
        XCTAssertTrue(matches("registeredAt < 2023-11-15", t2))
        XCTAssertTrue(matches("registeredAt == 2023-11-14T22:13:21Z", t2))
        XCTAssertTrue(matches("registeredAt == 2023-11-15T00:13:21+02:00", t2))
        XCTAssertTrue(matches("runningTasksCount == 3", t2))
        XCTAssertTrue(matches("runningTasksCount < 1", g2))
    }

    func testTaskGroupIsManyValued() {
        XCTAssertTrue(matches("task:group == service:web", t2))
        XCTAssertTrue(matches("task:group == family:batch", t2))
        XCTAssertFalse(matches("task:group == service:web", g2))
        XCTAssertTrue(matches("task:group != service:db", t2))
        XCTAssertFalse(matches("task:group != service:web", t2))
        XCTAssertTrue(matches("task:group != service:web", g2))  // runs nothing, so no web task
        XCTAssertTrue(matches("not(task:group == service:web)", g2))
        XCTAssertTrue(matches("task:group in [service:db, family:batch]", t2))
        XCTAssertTrue(matches("task:group not_in [service:db]", t2))
        XCTAssertTrue(matches("task:group =~ service:.*", t2))
        XCTAssertFalse(matches("task:group !~ service:.*", t2))
        XCTAssertTrue(matches("task:group exists", t2))
        XCTAssertTrue(matches("task:group !exists", g2))
    }

    func testPatternsInsideParentheses() {
        XCTAssertTrue(matches("(attribute:ecs.instance-type =~ t2.*) and not(attribute:stack =~ [)x]+)", t2))
        XCTAssertFalse(matches("(attribute:ecs.instance-type =~ t2.*)", g2))
    }

    func testBooleanOperatorsAndPrecedence() {
        XCTAssertTrue(matches("attribute:size == 4 or attribute:size == 16 and attribute:stack == prod", g2))
        XCTAssertFalse(matches("(attribute:size == 4 or attribute:size == 16) and attribute:stack == prod", g2))
        XCTAssertTrue(matches("!(attribute:size == 4) && attribute:stack == prod || attribute:size == 0", t2))
        XCTAssertTrue(matches("not not attribute:stack exists", t2))
    }
}
