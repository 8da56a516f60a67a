import Autoscaler
import Testing
@testable import AutoScaling

@Suite("Resource ids, resource labels and metric units")
struct ReferenceTests {
    @Test("service/CLUSTER/SERVICE parses and prints back; anything else does not parse")
    func serviceReference() {
        let web = ECSServiceReference(resourceID: "service/default/web")
        #expect(web == ECSServiceReference(cluster: "default", service: "web"))
        #expect(web?.resourceID == "service/default/web")
        for bad in ["service/default", "service//web", "cluster/default/web", "service/a/b/c", ""] {
            #expect(ECSServiceReference(resourceID: bad) == nil, "\(bad)")
        }
    }

    @Test("A resource label names the target group and gives the control plane's ARN")
    func targetGroupReference() throws {
        let reference = try #require(TargetGroupReference(resourceLabel: APIFixture.label))
        #expect(reference.loadBalancerName == "web-lb")
        #expect(reference.targetGroupName == "web")
        #expect(reference.targetGroupID == "73e2d6bc24d8a067")
        #expect(reference.targetGroupARN(region: "eu-west-1", accountID: "123456789012")
            == "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/73e2d6bc24d8a067")
        #expect(reference.resourceLabel == APIFixture.label)
        #expect(TargetGroupReference(resourceLabel: "targetgroup/web/73e2d6bc24d8a067") == nil)
        #expect(TargetGroupReference(resourceLabel: "app/lb//targetgroup/web/1") == nil)
    }

    @Test("ALBRequestCountPerTarget is requests per healthy target per minute")
    func requestUnits() {
        let metric = ScalingMetric.requestCountPerTarget(resourceLabel: APIFixture.label)
        #expect(metric.perTargetValue(raw: 40, healthy: 4) == 600)
        #expect(metric.requiredCapacity(raw: 160, healthy: 4, targetValue: 600) == 16)
        #expect(ScalingMetric.averageCPUUtilization.requiredCapacity(raw: 90, healthy: 3, targetValue: 50) == 5.4)
        #expect(ScalingMetric.averageCPUUtilization.perTargetValue(raw: 90, healthy: 0) == nil)
    }
}
