"""English for the park's altitude (chempark.park), which sets the air pressure of the consequence models."""

EN = {
    "海拔 (m)": "Altitude (m)",
    "园区地面的平均海拔，−500 至 6000 米；事故模拟和风险评估按它计算环境大气压":
        "Mean ground altitude of the park, −500 to 6000 m; accident simulations and risk assessments take the "
        "air pressure from it",
    "环境气压 %(kpa)s kPa（园区海拔 %(altitude)s m，按标准大气）":
        "Air pressure %(kpa)s kPa (park altitude %(altitude)s m, standard atmosphere)",
}
