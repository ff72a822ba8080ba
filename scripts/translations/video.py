"""English for the video module: the camera page, the alarm page's live video panel, the gateway's
stream states, camera types and view cones."""

EN = {
    "摄像机视域": "Camera view", "固定摄像机": "Fixed camera", "高空瞭望（云台）": "Tower PTZ camera",
    "朝向（度）": "Heading (°)", "水平视场角（度）": "Horizontal field of view (°)",
    "可视距离（米）": "Range (m)", "朝向": "Heading", "视场角": "field of view", "可视距离": "range",
    "播放中": "Playing", "正在连接摄像机…": "Connecting to the camera…", "未配置视频流地址": "No stream address",
    "视频流无响应": "The stream does not answer",
    "视频流无响应：拉流进程已退出": "The stream does not answer: the gateway's ffmpeg exited",
    "视频流无响应：超时未收到画面": "The stream does not answer: no picture in time",
    "视频网关无法启动（ffmpeg 不可用）": "The video gateway cannot start (ffmpeg unavailable)",
    "视频播放中断，正在重新连接…": "Playback interrupted, reconnecting…",
    "现场视频（视域覆盖报警位置的摄像机）": "Live video (cameras whose view covers the alarm)",
    "没有摄像机的视域覆盖报警位置。": "No camera's view covers the alarm's place.",
    "视频监控": "Video", "朝向 / 视场角 / 可视距离": "Heading / field of view / range",
    "编号或名称": "Code or name", "没有摄像机": "No cameras",
    "未测定（按全向 300 米）": "Not surveyed (all round, 300 m)",
    "全向": "All round",
    # the view-editing page
    "编辑视域": "Edit view", "返回摄像机": "Back to the camera", "编辑位置与视域": "Edit position and view",
    "经度": "Longitude", "纬度": "Latitude", "留空为全向": "Empty = all round",
    "正北为 0°，顺时针；留空表示全向（360°）摄像机。": "0° is north, clockwise; empty means an all-round (360°) camera.",
    "不超过 20000 米。": "At most 20,000 m.",
    "在地图上单击可把摄像机移到该处；虚线扇形为编辑中的视域，浅色为各摄像机当前视域。":
        "Click the map to move the camera there; the dashed sector is the view being edited, the pale ones the cameras' current views.",
    "摄像机位置与视域已保存。": "Camera position and view saved.",
    # the gateway service's stream states (docs/video.md)
    "视频流无响应：画面中断": "The stream does not answer: the picture stopped",
    "视频网关服务未运行": "The video gateway service is not running",
    "未播放": "Not playing", "正在连接": "Connecting", "无响应": "Not answering",
    "拉流进程已退出": "ffmpeg exited", "超时未收到画面": "No picture in time", "画面中断": "Picture stopped",
    "最近观看请求": "Last viewer request", "原因": "Reason", "状态变化时间": "State changed at",
    "网关进程": "Gateway process", "心跳次数": "Heartbeats", "心跳时间": "Last heartbeat",
    "视频网关心跳": "Video gateway heartbeat",
    "视域数": "Camera views", "演示数据": "Demo data", "高空瞭望": "Tower cameras",
}
