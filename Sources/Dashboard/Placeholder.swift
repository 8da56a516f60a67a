/// Dashboard: filled in by its own change.
enum DashboardPlaceholder {}
