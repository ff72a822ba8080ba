def load_demo_incidents() -> str:
    return ""
