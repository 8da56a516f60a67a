// Replaced by the runtime benchmark driver (bench/runtime.sh).
print("wharf-bench: no benchmark selected")
