/// AutoScaling: filled in by its own change.
enum AutoScalingPlaceholder {}
