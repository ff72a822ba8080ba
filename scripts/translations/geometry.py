"""English for locations drawn on a map (chempark.core.geometry_input and its partials, the fence form)."""

EN = {
    "在地图上放置标记，或在下方输入“经度, 纬度”。": "Place a marker on the map, or type “longitude, latitude” below.",
    "在地图上依次点击路线的各点，单击最后一点结束；或在下方每行输入一个“经度, 纬度”。":
        "Click the route's points on the map in order and click the last one again to finish; or type one "
        "“longitude, latitude” per line below.",
    "用地图左上角的工具绘制（点击首个顶点闭合多边形），拖动顶点修改；或在下方每行输入一个“经度, 纬度”，多个多边形之间空一行。":
        "Draw with the tools at the map's top left (click the first vertex to close a polygon) and drag vertices "
        "to change it; or type one “longitude, latitude” per line below, with an empty line between polygons.",
    "在地图上放置或拖动标记填写经纬度，也可直接输入（六位小数）。":
        "Place or drag the marker on the map to fill in the longitude and latitude, or type them (six decimals).",
    "%(label)s的坐标（经度, 纬度，每行一个顶点）": "Coordinates of %(label)s (longitude, latitude; one vertex per line)",
    "坐标（经度, 纬度，每行一个顶点）": "Coordinates (longitude, latitude; one vertex per line)",
    "指定路线画中心线，地图上按路线宽度显示；其余类型画多边形":
        "Draw a designated route as its centre line (shown on the map at the route's width); every other kind as a polygon",
}
