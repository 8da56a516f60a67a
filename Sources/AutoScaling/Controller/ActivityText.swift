import Autoscaler

/// The words of scaling activities, after AWS's ("Setting desired count to 4.", "monitor
/// alarm ... in state ALARM triggered policy ...") with Wharf's measurements in Details.
enum ActivityText {
    static func setting(_ count: Int) -> String { "Setting desired count to \(count)." }

    static func succeeded(_ count: Int) -> String {
        "Successfully set desired count to \(count). Change successfully fulfilled by ecs."
    }

    static func failed(_ count: Int, _ error: any Error) -> String {
        "Failed to set desired count to \(count). Reason: \(error)"
    }

    /// The cause of a decision; `alarmName` names the alarm a policy's reason stands for.
    static func cause(_ decision: ScalingDecision, alarmName: (ScalingReason) -> String) -> String {
        switch decision.cause {
        case .policies(let reasons):
            return reasons.map { "monitor alarm \(alarmName($0)) in state ALARM triggered policy \($0.policyName)" }
                .joined(separator: "; ")
        case .belowMinimum(let minimum):
            return "minimum capacity was set to \(minimum)"
        case .aboveMaximum(let maximum):
            return "maximum capacity was set to \(maximum)"
        }
    }

    /// What was measured, for the Details member.
    static func details(_ decision: ScalingDecision, capacity: CapacitySnapshot) -> String {
        let counts = "desired \(capacity.desired), running \(capacity.running), healthy \(capacity.healthy)"
        guard case .policies(let reasons) = decision.cause else { return counts }
        let measured = reasons.map { reason in
            let comparison = reason.alarm == .high ? "above" : "below"
            return "\(reason.metric) = \(format(reason.observedValue)) (\(reason.evidence)), \(comparison) \(format(reason.threshold))"
        }
        return (measured + [counts]).joined(separator: "; ")
    }

    static func scheduled(name: String) -> String { "scheduled action name \(name) was triggered" }

    static func settingBounds(minimum: Int, maximum: Int) -> String {
        "Setting min capacity to \(minimum) and max capacity to \(maximum)"
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : String(rounded)
    }
}
