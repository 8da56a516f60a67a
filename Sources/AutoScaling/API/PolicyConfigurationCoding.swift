import AWSProtocol
import Autoscaler

/// Reads the API's policy configurations into ``Autoscaler`` policies, with
/// ValidationExceptions naming what is wrong. Used when a policy is put (to validate) and
/// when the controller loads stored policies (the stored JSON is the validated input).
enum PolicyConfigurationCoding {
    static let targetTracking = "TargetTrackingScaling"
    static let stepScaling = "StepScaling"
    static let predefinedTypes = ["ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization"]
    /// Wharf's own metric names (custom metrics and the step alarm's MetricType).
    static let wharfMetricNames = ["TargetResponseTime", "ActiveConnectionCount"]
    /// The most seconds a step alarm may aggregate.
    static let maximumEvaluationSeconds = 3600

    /// A target-tracking configuration (`TargetTrackingScalingPolicyConfiguration`).
    static func targetTracking(_ members: JSONMembers, tuning: TargetTrackingTuning) throws(AWSServiceError) -> TargetTrackingConfiguration {
        guard let targetValue = try members.optionalDouble("TargetValue") else {
            throw AutoScalingError.validation("TargetValue is required for a target tracking scaling policy")
        }
        guard targetValue > 0, targetValue.isFinite else {
            throw AutoScalingError.validation("TargetValue must be greater than 0, got \(targetValue)")
        }
        let predefined = try members.optionalObject("PredefinedMetricSpecification")
        let customized = try members.optionalObject("CustomizedMetricSpecification")
        let metric: ScalingMetric
        switch (predefined, customized) {
        case (let predefined?, nil): metric = try predefinedMetric(predefined)
        case (nil, let customized?): metric = try customizedMetric(customized)
        case (nil, nil):
            throw AutoScalingError.validation("Either PredefinedMetricSpecification or CustomizedMetricSpecification is required")
        case (.some, .some):
            throw AutoScalingError.validation("PredefinedMetricSpecification and CustomizedMetricSpecification cannot both be given")
        }
        let scaleOut = try members.optionalInt("ScaleOutCooldown", range: 0...Int(Int32.max)) ?? 0
        let scaleIn = try members.optionalInt("ScaleInCooldown", range: 0...Int(Int32.max)) ?? 0
        return TargetTrackingConfiguration(
            metric: metric, targetValue: targetValue, scaleOutCooldownSeconds: Double(scaleOut),
            scaleInCooldownSeconds: Double(scaleIn), disableScaleIn: try members.optionalBool("DisableScaleIn") ?? false,
            tuning: tuning)
    }

    static func predefinedMetric(_ members: JSONMembers) throws(AWSServiceError) -> ScalingMetric {
        let type = try members.requiredEnum("PredefinedMetricType", allowed: predefinedTypes, message:
            "Unsupported PredefinedMetricType for ECS; use one of \(predefinedTypes.joined(separator: ", "))")
        switch type {
        case "ALBRequestCountPerTarget":
            guard let label = try members.optionalString("ResourceLabel") else {
                throw AutoScalingError.validation("ResourceLabel is required for PredefinedMetricType ALBRequestCountPerTarget")
            }
            return .requestCountPerTarget(resourceLabel: try checkedLabel(label))
        case "ECSServiceAverageCPUUtilization": return .averageCPUUtilization
        default: return .averageMemoryUtilization
        }
    }

    /// A CustomizedMetricSpecification naming one of the metrics Wharf measures: in namespace
    /// `AWS/ApplicationELB` or `Wharf`, `RequestCountPerTarget`, `TargetResponseTime` or
    /// `ActiveConnectionCount` with dimensions `LoadBalancer` (`app/NAME/ID`) and `TargetGroup`
    /// (`targetgroup/NAME/ID`); in `AWS/ECS`, `CPUUtilization` or `MemoryUtilization`.
    static func customizedMetric(_ members: JSONMembers) throws(AWSServiceError) -> ScalingMetric {
        let name = try members.requiredString("MetricName")
        let namespace = try members.requiredString("Namespace")
        var dimensions: [String: String] = [:]
        for dimension in try members.optionalObjectList("Dimensions") ?? [] {
            dimensions[try dimension.requiredString("Name")] = try dimension.requiredString("Value")
        }
        switch (namespace, name) {
        case ("AWS/ECS", "CPUUtilization"): return .averageCPUUtilization
        case ("AWS/ECS", "MemoryUtilization"): return .averageMemoryUtilization
        case ("AWS/ApplicationELB", _), ("Wharf", _):
            guard let loadBalancer = dimensions["LoadBalancer"], let targetGroup = dimensions["TargetGroup"] else {
                throw AutoScalingError.validation("Metric \(namespace)/\(name) needs the dimensions LoadBalancer and TargetGroup")
            }
            let label = try checkedLabel("\(loadBalancer)/\(targetGroup)")
            switch name {
            case "RequestCountPerTarget": return .requestCountPerTarget(resourceLabel: label)
            case "TargetResponseTime": return .targetResponseTime(resourceLabel: label)
            case "ActiveConnectionCount": return .activeConnectionsPerTarget(resourceLabel: label)
            default: break
            }
        default: break
        }
        throw AutoScalingError.validation("Wharf does not measure \(namespace)/\(name); custom metrics may be AWS/ApplicationELB or Wharf "
            + "RequestCountPerTarget, TargetResponseTime, ActiveConnectionCount, or AWS/ECS CPUUtilization, MemoryUtilization")
    }

    static func checkedLabel(_ label: String) throws(AWSServiceError) -> String {
        guard TargetGroupReference(resourceLabel: label) != nil else {
            throw AutoScalingError.validation("Invalid ResourceLabel '\(label)': expected app/<load-balancer-name>/<load-balancer-id>/"
                + "targetgroup/<target-group-name>/<target-group-id>")
        }
        return label
    }

    /// A step-scaling configuration (`StepScalingPolicyConfiguration`), plus Wharf's alarm
    /// member `WharfAlarm` ({MetricType, ResourceLabel, ComparisonOperator, Threshold,
    /// EvaluationSeconds}): without it the policy is stored but, like an AWS policy no alarm
    /// invokes, never acts.
    static func stepScaling(_ members: JSONMembers) throws(AWSServiceError) -> StepScalingConfiguration {
        let adjustmentType = try members.optionalEnum("AdjustmentType", as: AdjustmentType.self) ?? .changeInCapacity
        guard members.contains("AdjustmentType") else {
            throw AutoScalingError.validation("AdjustmentType is required for a step scaling policy")
        }
        var steps: [StepAdjustment] = []
        for step in try members.optionalObjectList("StepAdjustments") ?? [] {
            guard let adjustment = try step.optionalInt("ScalingAdjustment") else {
                throw AutoScalingError.validation("ScalingAdjustment is required in \(step.path)")
            }
            steps.append(StepAdjustment(
                lowerBound: try step.optionalDouble("MetricIntervalLowerBound"),
                upperBound: try step.optionalDouble("MetricIntervalUpperBound"), scalingAdjustment: adjustment))
        }
        let configuration = StepScalingConfiguration(
            adjustmentType: adjustmentType, stepAdjustments: steps,
            minAdjustmentMagnitude: try members.optionalInt("MinAdjustmentMagnitude"),
            cooldownSeconds: Double(try members.optionalInt("Cooldown", range: 0...Int(Int32.max))
                ?? Int(StepScalingConfiguration.defaultCooldownSeconds)),
            metricAggregationType: try members.optionalEnum("MetricAggregationType", as: MetricAggregationType.self) ?? .average,
            alarm: try members.optionalObject("WharfAlarm").map { (alarm) throws(AWSServiceError) in try stepAlarm(alarm) })
        do {
            try configuration.validate()
        } catch {
            throw AutoScalingError.validation(error.description)
        }
        return configuration
    }

    static func stepAlarm(_ members: JSONMembers) throws(AWSServiceError) -> StepScalingAlarm {
        let type = try members.requiredEnum("MetricType", allowed: predefinedTypes + wharfMetricNames)
        let metric: ScalingMetric
        switch type {
        case "ECSServiceAverageCPUUtilization": metric = .averageCPUUtilization
        case "ECSServiceAverageMemoryUtilization": metric = .averageMemoryUtilization
        default:
            let label = try checkedLabel(try members.requiredString("ResourceLabel"))
            switch type {
            case "TargetResponseTime": metric = .targetResponseTime(resourceLabel: label)
            case "ActiveConnectionCount": metric = .activeConnectionsPerTarget(resourceLabel: label)
            default: metric = .requestCountPerTarget(resourceLabel: label)
            }
        }
        guard let threshold = try members.optionalDouble("Threshold") else {
            throw AutoScalingError.validation("Threshold is required in \(members.path)")
        }
        return StepScalingAlarm(
            metric: metric, comparison: try members.optionalEnum("ComparisonOperator", as: StepScalingAlarm.Comparison.self)
                ?? .greaterThanOrEqualToThreshold,
            threshold: threshold,
            evaluationSeconds: try members.optionalInt("EvaluationSeconds", range: 1...maximumEvaluationSeconds)
                ?? StepScalingAlarm.defaultEvaluationSeconds)
    }

    /// The stored policy as an ``Autoscaler/ScalingPolicy``, or the reason its stored
    /// configuration no longer reads (it was validated when put, so only a newer version's
    /// document could fail).
    static func policy(_ record: ScalingPolicyRecord, tuning: TargetTrackingTuning) throws(AWSServiceError) -> ScalingPolicy {
        let value: JSONValue
        do {
            value = try JSONParser().parse(Array(record.configuration.utf8))
        } catch {
            throw AutoScalingError.validation("The stored configuration of policy \(record.name) is not JSON: \(error)")
        }
        let members = try JSONMembers(value, errorType: "ValidationException")
        if record.policyType == targetTracking {
            return ScalingPolicy(name: record.name, kind: .targetTracking(try targetTracking(members, tuning: tuning)))
        }
        return ScalingPolicy(name: record.name, kind: .stepScaling(try stepScaling(members)))
    }
}
