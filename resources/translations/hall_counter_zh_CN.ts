<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AdminPage</name>
    <message>
        <source>Administrator</source>
        <translation>管理员账号</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Exit the kiosk program</source>
        <translation>退出自助终端程序</translation>
    </message>
    <message>
        <source>Close the kiosk (stop service)</source>
        <translation>关闭自助终端（暂停服务）</translation>
    </message>
    <message>
        <source>Back to service</source>
        <translation>返回服务</translation>
    </message>
    <message>
        <source>Signed in as {name}. Choose what to do.</source>
        <translation>已以 {name} 登录。请选择操作。</translation>
    </message>
</context>
<context>
    <name>AlertsView</name>
    <message>
        <source>{n} failed tries</source>
        <translation>连续失败 {n} 次</translation>
    </message>
    <message>
        <source>{lookups} lookups, {cases} cases</source>
        <translation>查询 {lookups} 次，办件 {cases} 件</translation>
    </message>
    <message>
        <source>first bad record {seq}</source>
        <translation>首条异常记录 {seq}</translation>
    </message>
    <message>
        <source>case {case}</source>
        <translation>业务 {case}</translation>
    </message>
    <message>
        <source>this desk</source>
        <translation>本窗口</translation>
    </message>
    <message>
        <source>a desk</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>central</source>
        <translation>中心</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新</translation>
    </message>
    <message>
        <source>Alerts of this hall, newest first. New ones are in bold.</source>
        <translation>本大厅的安全提醒，最新的在前，新提醒以粗体显示。</translation>
    </message>
    <message>
        <source>There are no alerts in this hall.</source>
        <translation>本大厅目前没有安全提醒。</translation>
    </message>
    <message>
        <source>Checking the audit chain…</source>
        <translation>正在核查审计记录…</translation>
    </message>
    <message>
        <source>The audit chain of this desk is intact: {records} records checked.</source>
        <translation>本窗口审计记录完好：已核查 {records} 条。</translation>
    </message>
    <message>
        <source>The audit chain of this desk is BROKEN at record {seq}: {problem}. Tell IT security; do not change anything on this desk.</source>
        <translation>本窗口审计记录已损坏，第 {seq} 条有问题：{problem}。请立即报告信息安全人员，不要改动本机。</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>安全提醒</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>提醒内容</translation>
    </message>
    <message>
        <source>Who or what</source>
        <translation>涉及人员或设备</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Raised by</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Check audit chain</source>
        <translation>核查审计记录</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ApprovalsView</name>
    <message>
        <source>Step {n} ({role}): {status}</source>
        <translation>第 {n} 级（{role}）：{status}</translation>
    </message>
    <message>
        <source>at the clerk&apos;s desk</source>
        <translation>在经办窗口</translation>
    </message>
    <message>
        <source>in the inbox</source>
        <translation>在审批列表</translation>
    </message>
    <message>
        <source>{who}, {when}, {where}</source>
        <translation>{who}，{when}，{where}</translation>
    </message>
    <message>
        <source>reason: {reason}</source>
        <translation>理由：{reason}</translation>
    </message>
    <message>
        <source>You can decide</source>
        <translation>可由您审批</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新</translation>
    </message>
    <message>
        <source>{n} of {total} ({role})</source>
        <translation>第 {n} 级，共 {total} 级（{role}）</translation>
    </message>
    <message>
        <source>{n}: {status} by {who}</source>
        <translation>第 {n} 级：{who} {status}</translation>
    </message>
    <message>
        <source>{count} approvals waiting in this hall.</source>
        <translation>本大厅有 {count} 项待审批。</translation>
    </message>
    <message>
        <source>No approvals are waiting in this hall.</source>
        <translation>本大厅目前没有待审批的业务。</translation>
    </message>
    <message>
        <source>Choose a case in the list to decide it.</source>
        <translation>请在列表中选择要审批的业务。</translation>
    </message>
    <message>
        <source>Case {local} ({service}) by {clerk} at {desk}:
{history}</source>
        <translation>业务 {local}（{service}），经办人 {clerk}，窗口 {desk}：
{history}</translation>
    </message>
    <message>
        <source>Give a reason: choose one from the list or type it.</source>
        <translation>请填写理由：从列表中选择或直接输入。</translation>
    </message>
    <message>
        <source>Case {local}: step {n} approved.</source>
        <translation>业务 {local}：第 {n} 级审批已批准。</translation>
    </message>
    <message>
        <source>Case {local}: step {n} rejected.</source>
        <translation>业务 {local}：第 {n} 级审批已驳回。</translation>
    </message>
    <message>
        <source>Approval inbox</source>
        <translation>待审批业务</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>业务编号</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>业务事项</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>审批级次</translation>
    </message>
    <message>
        <source>Why approval is needed</source>
        <translation>需审批原因</translation>
    </message>
    <message>
        <source>Asked at</source>
        <translation>提交时间</translation>
    </message>
    <message>
        <source>Decided so far</source>
        <translation>已审批情况</translation>
    </message>
    <message>
        <source>Your part</source>
        <translation>您的权限</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>ApprovalsWidget</name>
    <message>
        <source>Approvals waiting</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>业务编号</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>审批原因</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>已等待</translation>
    </message>
    <message>
        <source>No figures yet.</source>
        <translation>尚无数据。</translation>
    </message>
    <message>
        <source>No approval is waiting.</source>
        <translation>没有待审批的业务。</translation>
    </message>
    <message>
        <source>Waiting: {count}; the oldest for {oldest}, median {median}.</source>
        <translation>待审批 {count} 件；最久已等 {oldest}，中位 {median}。</translation>
    </message>
</context>
<context>
    <name>BacklogWidget</name>
    <message>
        <source>Open cases now</source>
        <translation>当前在办业务</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>环节</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>在办</translation>
    </message>
    <message>
        <source>Oldest waiting</source>
        <translation>最久等待</translation>
    </message>
    <message>
        <source>No figures yet.</source>
        <translation>尚无数据。</translation>
    </message>
    <message>
        <source>{total} cases open.</source>
        <translation>在办业务共 {total} 件。</translation>
    </message>
    <message>
        <source>Most are waiting in {stage}: {open}, the oldest for {oldest}.</source>
        <translation>积压最多的环节：{stage}，{open} 件，最久已等 {oldest}。</translation>
    </message>
</context>
<context>
    <name>CardPanelWidget</name>
    <message>
        <source>Social security card</source>
        <translation>社会保障卡</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>身份证号码</translation>
    </message>
    <message>
        <source>Card number</source>
        <translation>卡号</translation>
    </message>
    <message>
        <source>Card status</source>
        <translation>卡状态</translation>
    </message>
    <message>
        <source>Ask the citizen to insert the social security card.</source>
        <translation>请群众插入社会保障卡。</translation>
    </message>
    <message>
        <source>Reading the card…</source>
        <translation>正在读卡…</translation>
    </message>
    <message>
        <source>Checking the card with central…</source>
        <translation>正在向中心系统核验卡片…</translation>
    </message>
    <message>
        <source>Checking the electronic social security card with central…</source>
        <translation>正在向中心系统核验电子社保卡…</translation>
    </message>
    <message>
        <source>Card read.</source>
        <translation>读卡完成。</translation>
    </message>
    <message>
        <source>Electronic social security card verified by central.</source>
        <translation>电子社保卡已通过中心系统核验。</translation>
    </message>
    <message>
        <source>Card removed. The form is kept for {seconds} s for the same card to come back.</source>
        <translation>卡已拔出。表单保留 {seconds} 秒，等待同一张卡重新插入。</translation>
    </message>
    <message>
        <source>OFFLINE: central could not be reached. The identity is checked offline and the case will say so.</source>
        <translation>离线：无法连接中心系统。身份按离线方式核验，业务中将注明。</translation>
    </message>
    <message>
        <source>Warning: {text}</source>
        <translation>注意：{text}</translation>
    </message>
    <message>
        <source>Name at central: {central} (card: {card})</source>
        <translation>中心系统记录的姓名：{central}（卡内：{card}）</translation>
    </message>
    <message>
        <source>Birth date at central: {central} (card: {card})</source>
        <translation>中心系统记录的出生日期：{central}（卡内：{card}）</translation>
    </message>
    <message>
        <source>Check the resident ID card; a data correction case may be due.</source>
        <translation>请核对居民身份证；可能需要办理信息更正。</translation>
    </message>
</context>
<context>
    <name>ClerkWindow</name>
    <message>
        <source>The camera gave no picture. Check the camera and try again.</source>
        <translation>摄像头没有拍到画面，请检查摄像头后重试。</translation>
    </message>
    <message>
        <source>Hall Counter — social security service window</source>
        <translation>社保服务窗口 — Hall Counter</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>发件箱</translation>
    </message>
    <message>
        <source>Cases queued at this desk: send now, withdraw</source>
        <translation>本窗口排队的业务：立即发送、撤回</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>审批</translation>
    </message>
    <message>
        <source>Cases of the hall waiting for a supervisor</source>
        <translation>本大厅等待主管审批的业务</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>安全提醒</translation>
    </message>
    <message>
        <source>Security alerts of the hall; check the audit chain</source>
        <translation>本大厅的安全提醒；核查审计记录</translation>
    </message>
    <message>
        <source>Lock screen</source>
        <translation>锁屏</translation>
    </message>
    <message>
        <source>Lock the screen while you step away</source>
        <translation>暂时离开时锁定屏幕</translation>
    </message>
</context>
<context>
    <name>ClosedPage</name>
    <message>
        <source>Staff user name</source>
        <translation>工作人员用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <source>Open the kiosk</source>
        <translation>开启自助终端</translation>
    </message>
    <message>
        <source>Staff: sign in with a clerk account to open this kiosk. Cases made here name that account. Training mode: use the training clerk account.</source>
        <translation>工作人员：请用窗口人员账号登录以开启本终端，在本终端办理的业务记在该账号名下。培训模式：请使用培训用窗口人员账号。</translation>
    </message>
    <message>
        <source>Staff: sign in with a clerk account to open this kiosk. Cases made here name that account.</source>
        <translation>工作人员：请用窗口人员账号登录以开启本终端，在本终端办理的业务记在该账号名下。</translation>
    </message>
</context>
<context>
    <name>CorrectDialog</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Correct case</source>
        <translation>更正业务</translation>
    </message>
    <message>
        <source>Correct the fields central refused and send case {local_id} again as a new version.</source>
        <translation>请更正中心退回的字段，并将业务 {local_id} 作为新版本重新发送。</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>重新发送</translation>
    </message>
</context>
<context>
    <name>CosignWidget</name>
    <message>
        <source>Enter the supervisor&apos;s user name, password and a reason.</source>
        <translation>请输入主管的用户名、密码和复核理由。</translation>
    </message>
    <message>
        <source>Supervisor co-signature</source>
        <translation>主管复核</translation>
    </message>
    <message>
        <source>This case needs a supervisor&apos;s co-signature:
{reasons}</source>
        <translation>本业务需要主管复核：
{reasons}</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <source>Co-sign and submit</source>
        <translation>复核并提交</translation>
    </message>
    <message>
        <source>Send to the hall&apos;s approval inbox</source>
        <translation>转大厅审批</translation>
    </message>
    <message>
        <source>No supervisor here: save the case without a co-signature; it waits at central until a supervisor approves it in the inbox.</source>
        <translation>主管不在场时使用：业务先保存，不做窗口复核，由主管在待审批列表中审批。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Co-signed by {supervisor} at {time}. Reason: {reason}</source>
        <translation>已由 {supervisor} 于 {time} 复核。理由：{reason}</translation>
    </message>
    <message>
        <source>Not co-signed here: the case waits in the hall&apos;s approval inbox for a supervisor.</source>
        <translation>未在窗口复核：业务已转入大厅待审批列表，等待主管审批。</translation>
    </message>
</context>
<context>
    <name>DashboardButtonWidget</name>
    <message>
        <source>Hall dashboard</source>
        <translation>大厅看板</translation>
    </message>
    <message>
        <source>Where cases wait, and why: stage times, backlog, desks</source>
        <translation>业务卡在哪里、为什么：各环节用时、积压、窗口状态</translation>
    </message>
</context>
<context>
    <name>DashboardWindow</name>
    <message>
        <source>Supervisor approval</source>
        <translation>主管审批</translation>
    </message>
    <message>
        <source>Intake at the hall</source>
        <translation>大厅受理</translation>
    </message>
    <message>
        <source>Employment service center</source>
        <translation>就业服务中心</translation>
    </message>
    <message>
        <source>Social insurance agency</source>
        <translation>社保经办机构</translation>
    </message>
    <message>
        <source>Finance bureau</source>
        <translation>财政</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds}秒</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes}分钟</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours}小时{minutes}分</translation>
    </message>
    <message>
        <source>{days} d {hours} h</source>
        <translation>{days}天{hours}小时</translation>
    </message>
    <message>
        <source>too many unsent cases</source>
        <translation>未发送业务过多</translation>
    </message>
    <message>
        <source>unsent cases too old</source>
        <translation>未发送业务积压过久</translation>
    </message>
    <message>
        <source>reason not given</source>
        <translation>原因未报告</translation>
    </message>
    <message>
        <source>FROZEN ({reason})</source>
        <translation>已冻结（{reason}）</translation>
    </message>
    <message>
        <source>OFFLINE (never seen)</source>
        <translation>离线（从未联系）</translation>
    </message>
    <message>
        <source>OFFLINE (last seen {ago} ago)</source>
        <translation>离线（最后联系在 {ago} 前）</translation>
    </message>
    <message>
        <source>OFFLINE</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Refreshing…</source>
        <translation>正在刷新…</translation>
    </message>
    <message>
        <source>Not refreshed: {reason}</source>
        <translation>未能刷新：{reason}</translation>
    </message>
    <message>
        <source>Fetching the hall&apos;s figures…</source>
        <translation>正在获取大厅数据…</translation>
    </message>
    <message>
        <source>No case finished a stage in this period.</source>
        <translation>此期间没有业务办结任何环节。</translation>
    </message>
    <message>
        <source>Bottleneck: {stage}, median {median} per case (90% within {p90}, {count} cases).</source>
        <translation>瓶颈：{stage}，每件中位用时 {median}（90% 在 {p90} 内，共 {count} 件）。</translation>
    </message>
    <message>
        <source>Hardest hit: {service} (median {median} there).</source>
        <translation>受影响最大的业务：{service}（该环节中位 {median}）。</translation>
    </message>
    <message>
        <source>Desks needing attention: {desks}.</source>
        <translation>需要关注的窗口：{desks}。</translation>
    </message>
    <message>
        <source>{desk} — {state}</source>
        <translation>{desk} — {state}</translation>
    </message>
    <message>
        <source>Every desk is online and accepts cases.</source>
        <translation>所有窗口在线，均可受理业务。</translation>
    </message>
    <message>
        <source>Approvals waiting: {count}, the oldest for {oldest}.</source>
        <translation>待审批 {count} 件，最久已等 {oldest}。</translation>
    </message>
    <message>
        <source>No approval is waiting.</source>
        <translation>没有待审批的业务。</translation>
    </message>
    <message>
        <source>{title}: {text}</source>
        <translation>{title}：{text}</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>概要</translation>
    </message>
    <message>
        <source>Updated {time} · {start} to {end}</source>
        <translation>更新于 {time} · {start} 至 {end}</translation>
    </message>
    <message>
        <source>Export the dashboard</source>
        <translation>导出大厅看板</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>The file could not be written: {reason}</source>
        <translation>文件无法写入：{reason}</translation>
    </message>
    <message>
        <source>Exported {rows} rows to {path}</source>
        <translation>已导出 {rows} 行到 {path}</translation>
    </message>
    <message>
        <source>Hall dashboard</source>
        <translation>大厅看板</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>期间：</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>One day</source>
        <translation>指定日期</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>期间</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Service:</source>
        <translation>业务：</translation>
    </message>
    <message>
        <source>All services</source>
        <translation>全部业务</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>部门：</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>全部部门</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
</context>
<context>
    <name>DeskStatusBar</name>
    <message>
        <source>Network: checking…</source>
        <translation>网络：检测中…</translation>
    </message>
    <message>
        <source>Network: online</source>
        <translation>网络：在线</translation>
    </message>
    <message>
        <source>Network: OFFLINE — cases wait in the outbox</source>
        <translation>网络：离线 — 业务在发件箱中等待发送</translation>
    </message>
    <message>
        <source>{state} {count}</source>
        <translation>{state} {count}</translation>
    </message>
    <message>
        <source>Outbox: {counts}</source>
        <translation>发件箱：{counts}</translation>
    </message>
</context>
<context>
    <name>DesksWidget</name>
    <message>
        <source>Desks</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>最后联系</translation>
    </message>
    <message>
        <source>Unsent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <source>Oldest unsent</source>
        <translation>最久未发送</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>被退回</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>No figures yet.</source>
        <translation>尚无数据。</translation>
    </message>
    <message>
        <source>{count} of {total} desks need attention: {desks}.</source>
        <translation>{total} 个窗口中有 {count} 个需要关注：{desks}。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>All {total} desks are online and accept cases.</source>
        <translation>全部 {total} 个窗口在线，均可受理业务。</translation>
    </message>
    <message>
        <source>{ago} ago</source>
        <translation>{ago}前</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
</context>
<context>
    <name>EcardInputWidget</name>
    <message>
        <source>Electronic social security card</source>
        <translation>电子社保卡</translation>
    </message>
    <message>
        <source>Scan the citizen&apos;s e-card code with the scanner, or paste it here. The code is sent to central only.</source>
        <translation>请用扫码枪扫描市民的电子社保卡二维码，或粘贴到此处。二维码只发送给中心系统。</translation>
    </message>
    <message>
        <source>Scan or paste the e-card code</source>
        <translation>扫描或粘贴电子社保卡二维码</translation>
    </message>
    <message>
        <source>E-card code</source>
        <translation>电子社保卡二维码</translation>
    </message>
    <message>
        <source>Check e-card</source>
        <translation>核验电子社保卡</translation>
    </message>
    <message>
        <source>Use this training e-card</source>
        <translation>使用此培训用电子社保卡</translation>
    </message>
    <message>
        <source>Training citizens&apos; e-card codes</source>
        <translation>培训用市民的电子社保卡二维码</translation>
    </message>
</context>
<context>
    <name>FacePage</name>
    <message>
        <source>Please look straight at the camera.</source>
        <translation>请正对摄像头。</translation>
    </message>
    <message>
        <source>Please come a little closer to the screen.</source>
        <translation>请再靠近屏幕一点。</translation>
    </message>
    <message>
        <source>It is too dark here. Please ask a staff member for help.</source>
        <translation>这里光线太暗，请找工作人员帮忙。</translation>
    </message>
    <message>
        <source>There is too much light behind you.</source>
        <translation>您身后的光线太强。</translation>
    </message>
    <message>
        <source>Please hold still for a moment.</source>
        <translation>请保持不动，稍等片刻。</translation>
    </message>
    <message>
        <source>Well done. Comparing with your card photo…</source>
        <translation>做得好。正在与社保卡照片比对…</translation>
    </message>
    <message>
        <source>Training: the sample photo stands in for the camera. Liveness is not checked.</source>
        <translation>培训模式：用样例照片代替摄像头，未检测活体。</translation>
    </message>
    <message>
        <source>The camera sees you as in a mirror.</source>
        <translation>摄像头画面和照镜子一样。</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Stop the face check</source>
        <translation>不做人脸核验了</translation>
    </message>
</context>
<context>
    <name>FacePanelWidget</name>
    <message>
        <source>Face check</source>
        <translation>人脸核验</translation>
    </message>
    <message>
        <source>Citizen agrees</source>
        <translation>群众同意</translation>
    </message>
    <message>
        <source>Citizen declines</source>
        <translation>群众拒绝</translation>
    </message>
    <message>
        <source>Try the face check again</source>
        <translation>重新进行人脸核验</translation>
    </message>
    <message>
        <source>Tell the citizen: the face check confirms that you are the person on the card, by comparing your face with your photo on record. The camera picture is not stored. You may decline; then the ID card is checked instead.</source>
        <translation>请告知群众：人脸核验是把您的面部与系统中留存的照片比对，确认您是持卡人本人。摄像头画面不会保存。您可以拒绝，拒绝后改为核验身份证。</translation>
    </message>
    <message>
        <source>Use the alternative check</source>
        <translation>改用替代核验方式</translation>
    </message>
    <message>
        <source>Waiting for the camera…</source>
        <translation>正在等待摄像头……</translation>
    </message>
    <message>
        <source>Getting the photo on record…</source>
        <translation>正在获取留存照片……</translation>
    </message>
    <message>
        <source>Opening the camera…</source>
        <translation>正在打开摄像头……</translation>
    </message>
    <message>
        <source>Training: the sample photo stands in for the camera. The live check (blink or turn the head) is not done in training.</source>
        <translation>培训模式：用样例照片代替摄像头，不做活体检测（眨眼、转头）。</translation>
    </message>
    <message>
        <source>Ask the citizen to look at the camera and follow the instruction.</source>
        <translation>请群众看向摄像头，按提示做动作。</translation>
    </message>
    <message>
        <source>Please blink your eyes.</source>
        <translation>请眨一眨眼睛。</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your left.</source>
        <translation>请慢慢向左转头。</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your right.</source>
        <translation>请慢慢向右转头。</translation>
    </message>
    <message>
        <source>Please come a little closer.</source>
        <translation>请再靠近一点。</translation>
    </message>
    <message>
        <source>Please look straight at the camera.</source>
        <translation>请正对摄像头。</translation>
    </message>
    <message>
        <source>More light is needed on the face.</source>
        <translation>脸部光线太暗，请调亮灯光。</translation>
    </message>
    <message>
        <source>Too much light on the face.</source>
        <translation>脸部光线太强。</translation>
    </message>
    <message>
        <source>Please hold still.</source>
        <translation>请保持不动。</translation>
    </message>
    <message>
        <source>There is no photo on record for this citizen.</source>
        <translation>系统中没有该群众的留存照片。</translation>
    </message>
    <message>
        <source>The photo on record cannot be read.</source>
        <translation>留存照片无法读取。</translation>
    </message>
    <message>
        <source>The photo on record is not good enough to compare.</source>
        <translation>留存照片质量不足，无法比对。</translation>
    </message>
    <message>
        <source>The central system cannot be reached, so the photo on record is not available.</source>
        <translation>无法连接中心系统，取不到留存照片。</translation>
    </message>
    <message>
        <source>The central system could not send the photo on record.</source>
        <translation>中心系统未能提供留存照片。</translation>
    </message>
    <message>
        <source>No camera is working. Check that it is plugged in.</source>
        <translation>摄像头无法使用，请检查是否连接好。</translation>
    </message>
    <message>
        <source>The camera stopped (unplugged?).</source>
        <translation>摄像头中断了（可能被拔出）。</translation>
    </message>
    <message>
        <source>The face check software is not installed completely. Call IT support.</source>
        <translation>人脸核验软件安装不完整。请联系信息技术支持。</translation>
    </message>
    <message>
        <source>The face check is not available now.</source>
        <translation>人脸核验暂不可用。</translation>
    </message>
    <message>
        <source>The live check failed: the face did not do what was asked.</source>
        <translation>活体检测未通过：没有完成要求的动作。</translation>
    </message>
    <message>
        <source>The live check ran out of time.</source>
        <translation>活体检测超时。</translation>
    </message>
    <message>
        <source>No camera picture was good enough to compare.</source>
        <translation>摄像头画面质量不足，无法比对。</translation>
    </message>
    <message>
        <source>The face check could not decide.</source>
        <translation>人脸核验无法得出结果。</translation>
    </message>
    <message>
        <source>Live check: not checked (training sample photo).</source>
        <translation>活体检测：未做（培训样例照片）。</translation>
    </message>
    <message>
        <source>blink</source>
        <translation>眨眼</translation>
    </message>
    <message>
        <source>turn left</source>
        <translation>向左转头</translation>
    </message>
    <message>
        <source>turn right</source>
        <translation>向右转头</translation>
    </message>
    <message>
        <source>Live check: passed ({action}).</source>
        <translation>活体检测：通过（{action}）。</translation>
    </message>
    <message>
        <source>Live check: not passed ({action}).</source>
        <translation>活体检测：未通过（{action}）。</translation>
    </message>
    <message>
        <source>Alternative: check the citizen&apos;s resident ID card in person; a supervisor must co-sign the case.</source>
        <translation>替代方式：当面核验群众的居民身份证，本业务须由主管复核。</translation>
    </message>
    <message>
        <source>MATCH: the citizen matches the photo on record.</source>
        <translation>匹配：群众与留存照片一致。</translation>
    </message>
    <message>
        <source>NO MATCH: the citizen does not match the photo on record.</source>
        <translation>不匹配：群众与留存照片不一致。</translation>
    </message>
    <message>
        <source>The face check starts once the card has been read.</source>
        <translation>读卡完成后开始人脸核验。</translation>
    </message>
    <message>
        <source>The citizen declined the face check. Alternative: check the citizen&apos;s resident ID card in person; a supervisor must co-sign the case.</source>
        <translation>群众拒绝了人脸核验。替代方式：当面核验群众的居民身份证，本业务须由主管复核。</translation>
    </message>
    <message>
        <source>Distance {distance} (threshold {threshold}; a match is below it)</source>
        <translation>距离 {distance}（阈值 {threshold}；低于阈值为匹配）</translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <source>Required.</source>
        <translation>必填。</translation>
    </message>
    <message>
        <source>Enter central&apos;s https:// address (plain http only for this computer).</source>
        <translation>请输入中心系统的 https:// 地址（仅本机地址可用 http）。</translation>
    </message>
    <message>
        <source>Use 1–32 letters, digits, &apos;-&apos; or &apos;_&apos;.</source>
        <translation>请使用 1–32 个字母、数字、&apos;-&apos; 或 &apos;_&apos;。</translation>
    </message>
    <message>
        <source>No such file.</source>
        <translation>文件不存在。</translation>
    </message>
    <message>
        <source>Not accepted: {detail}</source>
        <translation>未被接受：{detail}</translation>
    </message>
    <message>
        <source>The configuration was not accepted: {detail}</source>
        <translation>配置未被接受：{detail}</translation>
    </message>
    <message>
        <source>The configuration could not be saved: {detail}</source>
        <translation>配置无法保存：{detail}</translation>
    </message>
    <message>
        <source>Set up this desk</source>
        <translation>设置本窗口</translation>
    </message>
    <message>
        <source>This desk has no configuration yet. Enter the central system&apos;s address, the hall and this workstation as given by the hall&apos;s IT admin, or start training mode to practise with sample data.</source>
        <translation>本窗口尚未配置。请输入大厅信息管理员提供的中心系统地址、大厅和本工作站信息，或启动培训模式，用样例数据练习。</translation>
    </message>
    <message>
        <source>Central address</source>
        <translation>中心系统地址</translation>
    </message>
    <message>
        <source>Hall ID</source>
        <translation>大厅编号</translation>
    </message>
    <message>
        <source>Workstation ID</source>
        <translation>工作站编号</translation>
    </message>
    <message>
        <source>Workstation secret</source>
        <translation>工作站密钥</translation>
    </message>
    <message>
        <source>CA certificate file (optional)</source>
        <translation>CA 证书文件（可选）</translation>
    </message>
    <message>
        <source>The configuration is saved to {path}</source>
        <translation>配置将保存到 {path}</translation>
    </message>
    <message>
        <source>Save and start</source>
        <translation>保存并启动</translation>
    </message>
    <message>
        <source>Start training mode</source>
        <translation>启动培训模式</translation>
    </message>
</context>
<context>
    <name>FirstRunWindow</name>
    <message>
        <source>Hall Counter — set up this desk</source>
        <translation>设置本窗口 — Hall Counter</translation>
    </message>
</context>
<context>
    <name>GuiController</name>
    <message>
        <source>The configuration file {path} is not valid: {detail}</source>
        <translation>配置文件 {path} 无效：{detail}</translation>
    </message>
    <message>
        <source>The kiosk options file {path} is not valid: {detail}</source>
        <translation>自助终端设置文件 {path} 无效：{detail}</translation>
    </message>
    <message>
        <source>Hall Counter</source>
        <translation>Hall Counter 社保服务窗口</translation>
    </message>
</context>
<context>
    <name>HeaderWidget</name>
    <message>
        <source>Social security service window</source>
        <translation>社保服务窗口</translation>
    </message>
    <message>
        <source>Hall and window: {place}</source>
        <translation>大厅与窗口：{place}</translation>
    </message>
    <message>
        <source>Clerk: {name}</source>
        <translation>经办人：{name}</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
</context>
<context>
    <name>KioskDocuments</name>
    <message>
        <source>Basic pension insurance for urban employees</source>
        <translation>城镇职工基本养老保险</translation>
    </message>
    <message>
        <source>Basic medical insurance for urban employees</source>
        <translation>城镇职工基本医疗保险</translation>
    </message>
    <message>
        <source>Unemployment insurance</source>
        <translation>失业保险</translation>
    </message>
    <message>
        <source>insured, contributing</source>
        <translation>参保缴费</translation>
    </message>
    <message>
        <source>receiving benefits (retired)</source>
        <translation>享受待遇（已退休）</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>已终止</translation>
    </message>
    <message>
        <source>not insured</source>
        <translation>未参保</translation>
    </message>
    <message>
        <source>male</source>
        <translation>男</translation>
    </message>
    <message>
        <source>female</source>
        <translation>女</translation>
    </message>
    <message>
        <source>Issued by {hall} on {date}. Scan the code to check this document.</source>
        <translation>{hall} 于 {date} 出具。扫描二维码可核验本材料真伪。</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年度</translation>
    </message>
    <message>
        <source>Months</source>
        <translation>缴费月数</translation>
    </message>
    <message>
        <source>Monthly base (CNY)</source>
        <translation>月缴费基数（元）</translation>
    </message>
    <message>
        <source>Personal (CNY)</source>
        <translation>个人缴费（元）</translation>
    </message>
    <message>
        <source>Employer (CNY)</source>
        <translation>单位缴费（元）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>公民身份号码</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <source>{status}; since {since}; {months} months</source>
        <translation>{status}；参保起始 {since}；累计 {months} 个月</translation>
    </message>
    <message>
        <source>Social insurance certificate</source>
        <translation>社会保险参保证明</translation>
    </message>
    <message>
        <source>Certificate number</source>
        <translation>证明编号</translation>
    </message>
    <message>
        <source>Verification code {code}</source>
        <translation>验证码 {code}</translation>
    </message>
    <message>
        <source>This certifies the holder&apos;s social insurance as recorded on the date of issue.</source>
        <translation>兹证明持证人截至出具之日的参保情况如上。</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>参保状态</translation>
    </message>
    <message>
        <source>Insured since</source>
        <translation>参保起始</translation>
    </message>
    <message>
        <source>Months paid in total</source>
        <translation>累计缴费月数</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>统计截至</translation>
    </message>
    <message>
        <source>Pension contribution statement</source>
        <translation>养老保险缴费记录单</translation>
    </message>
    <message>
        <source>Statement number</source>
        <translation>记录单编号</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>业务受理回执</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>业务编号</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>办理事项</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>申请人</translation>
    </message>
    <message>
        <source>Hall and kiosk</source>
        <translation>大厅及终端</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <source>Show this code at a service window to ask about your case.</source>
        <translation>到窗口出示此二维码即可查询办理进度。</translation>
    </message>
    <message>
        <source>Your application has been received and is on its way to the department. Keep this receipt.</source>
        <translation>您的申请已受理，正转交经办部门办理。请妥善保管本回执。</translation>
    </message>
    <message>
        <source>Earlier years: ask at a service window.</source>
        <translation>更早年度的记录请到窗口查询。</translation>
    </message>
</context>
<context>
    <name>KioskPrompts</name>
    <message>
        <source>Please blink slowly, twice.</source>
        <translation>请慢慢眨两次眼睛。</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your left, then back.</source>
        <translation>请慢慢向左转头，再转回来。</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your right, then back.</source>
        <translation>请慢慢向右转头，再转回来。</translation>
    </message>
    <message>
        <source>Please look at the camera and keep still.</source>
        <translation>请看着摄像头，保持不动。</translation>
    </message>
    <message>
        <source>Look at the camera</source>
        <translation>请看摄像头</translation>
    </message>
    <message>
        <source>Please look at the camera.</source>
        <translation>请看着摄像头。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>The kiosk is getting ready. Please wait a moment.</source>
        <translation>自助终端正在准备，请稍候。</translation>
    </message>
    <message>
        <source>Not in service</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <source>This self-service kiosk is closed. Please go to a service window.</source>
        <translation>本自助终端暂停服务，请到窗口办理。</translation>
    </message>
    <message>
        <source>Please insert your social security card</source>
        <translation>请插入社保卡</translation>
    </message>
    <message>
        <source>Put the card into the reader below the screen, chip first and facing up.</source>
        <translation>请把社保卡插入屏幕下方的读卡器，芯片朝上、朝里。</translation>
    </message>
    <message>
        <source>Welcome. Please insert your social security card into the reader.</source>
        <translation>您好，请把社保卡插入读卡器。</translation>
    </message>
    <message>
        <source>The card reader is not working</source>
        <translation>读卡器暂时不能使用</translation>
    </message>
    <message>
        <source>This kiosk cannot read cards right now. Please ask a staff member for help.</source>
        <translation>本机暂时无法读卡，请找工作人员帮忙。</translation>
    </message>
    <message>
        <source>The card reader is not working. Please ask a staff member for help.</source>
        <translation>读卡器暂时不能使用，请找工作人员帮忙。</translation>
    </message>
    <message>
        <source>Reading your card…</source>
        <translation>正在读卡…</translation>
    </message>
    <message>
        <source>Please leave the card in the reader.</source>
        <translation>请不要拔出社保卡。</translation>
    </message>
    <message>
        <source>Reading your card. Please wait, and leave the card in the reader.</source>
        <translation>正在读卡，请稍候，不要拔出社保卡。</translation>
    </message>
    <message>
        <source>Please enter your card PIN</source>
        <translation>请输入社保卡密码</translation>
    </message>
    <message>
        <source>Tries left: {tries}. The digits show as dots. Press Confirm when done.</source>
        <translation>剩余次数：{tries}。输入的数字显示为圆点，输完请按“确认”。</translation>
    </message>
    <message>
        <source>Please enter your card PIN on the keypad, then press Confirm.</source>
        <translation>请在键盘上输入社保卡密码，然后按确认。</translation>
    </message>
    <message>
        <source>The digits show as dots. Press Confirm when done.</source>
        <translation>输入的数字显示为圆点，输完请按“确认”。</translation>
    </message>
    <message>
        <source>The PIN is not correct</source>
        <translation>密码不正确</translation>
    </message>
    <message>
        <source>Tries left: {tries}. Please enter it again carefully.</source>
        <translation>剩余次数：{tries}。请仔细重新输入。</translation>
    </message>
    <message>
        <source>The PIN is not correct. Please enter it again carefully.</source>
        <translation>密码不正确，请仔细重新输入。</translation>
    </message>
    <message>
        <source>Checking your PIN…</source>
        <translation>正在核验密码…</translation>
    </message>
    <message>
        <source>Your card PIN is blocked</source>
        <translation>您的社保卡密码已锁定</translation>
    </message>
    <message>
        <source>For your safety the card does not accept more tries. A staff member at a service window can help you reset the PIN.</source>
        <translation>为保护您的安全，社保卡已不能再尝试密码。请到窗口请工作人员帮您重置密码。</translation>
    </message>
    <message>
        <source>Your card PIN is blocked. Please ask a staff member at a service window for help.</source>
        <translation>您的社保卡密码已锁定，请到窗口找工作人员帮忙。</translation>
    </message>
    <message>
        <source>Face check</source>
        <translation>人脸核验</translation>
    </message>
    <message>
        <source>To make sure the card is yours, the kiosk compares your face with your card photo. The picture is not kept. You may say no; some services then need a service window.</source>
        <translation>为确认是您本人，终端会把您的面部与社保卡照片比对，照片不会保存。您可以不同意；不同意时，部分业务需要到窗口办理。</translation>
    </message>
    <message>
        <source>To make sure the card is yours, the kiosk compares your face with your card photo. The picture is not kept. Do you agree?</source>
        <translation>为确认是您本人，终端会把您的面部与社保卡照片比对，照片不会保存。您同意吗？</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <source>Comparing your face with your card photo. Please wait.</source>
        <translation>正在与社保卡照片比对，请稍候。</translation>
    </message>
    <message>
        <source>Checking. Please wait.</source>
        <translation>正在核验，请稍候。</translation>
    </message>
    <message>
        <source>Let us try once more</source>
        <translation>我们再试一次</translation>
    </message>
    <message>
        <source>Please enter your PIN on the card reader</source>
        <translation>请在读卡器上输入密码</translation>
    </message>
    <message>
        <source>Tries left: {tries}. Use the keypad of the card reader, then press its OK key.</source>
        <translation>剩余次数：{tries}。请用读卡器上的键盘输入，输完按读卡器的确认键。</translation>
    </message>
    <message>
        <source>Please enter your card PIN on the keypad of the card reader, then press its OK key.</source>
        <translation>请在读卡器的键盘上输入社保卡密码，输完按确认键。</translation>
    </message>
    <message>
        <source>Use the keypad of the card reader, then press its OK key.</source>
        <translation>请用读卡器上的键盘输入，输完按读卡器的确认键。</translation>
    </message>
    <message>
        <source>Tries left: {tries}. Please enter it again carefully on the card reader.</source>
        <translation>剩余次数：{tries}。请在读卡器上仔细重新输入。</translation>
    </message>
    <message>
        <source>The PIN is not correct. Please enter it again carefully on the card reader.</source>
        <translation>密码不正确，请在读卡器上仔细重新输入。</translation>
    </message>
    <message>
        <source>The time for the PIN has run out</source>
        <translation>输入密码已超时</translation>
    </message>
    <message>
        <source>The card reader stopped waiting for the PIN. Touch Try again to enter it again.</source>
        <translation>读卡器已停止等待输入密码。请点“再试一次”重新输入。</translation>
    </message>
    <message>
        <source>The time for the PIN has run out. Touch Try again to enter it again.</source>
        <translation>输入密码已超时。请点再试一次，重新输入。</translation>
    </message>
    <message>
        <source>The PIN entry was cancelled</source>
        <translation>密码输入已取消</translation>
    </message>
    <message>
        <source>It was cancelled on the card reader. Touch Try again, or cancel and take the card.</source>
        <translation>您在读卡器上取消了输入。请点“再试一次”，或取消并取走社保卡。</translation>
    </message>
    <message>
        <source>The PIN entry was cancelled. Touch Try again, or take your card.</source>
        <translation>密码输入已取消。请点再试一次，或取走您的社保卡。</translation>
    </message>
    <message>
        <source>The PIN is too short or too long</source>
        <translation>密码位数不对</translation>
    </message>
    <message>
        <source>Enter the whole card PIN on the card reader. Touch Try again to start again.</source>
        <translation>请在读卡器上输入完整的社保卡密码。请点“再试一次”重新开始。</translation>
    </message>
    <message>
        <source>The PIN is too short or too long. Touch Try again to start again.</source>
        <translation>密码位数不对。请点再试一次，重新开始。</translation>
    </message>
    <message>
        <source>The camera could not see the movement asked for.</source>
        <translation>摄像头没有看到要求的动作。</translation>
    </message>
    <message>
        <source>The camera could not see the movement. Let us try once more.</source>
        <translation>摄像头没有看到您的动作。我们再试一次。</translation>
    </message>
    <message>
        <source>The face check did not recognise you. Please look straight at the camera.</source>
        <translation>刚才没能认出您，请正对摄像头。</translation>
    </message>
    <message>
        <source>Let us try once more. Please look straight at the camera.</source>
        <translation>我们再试一次，请正对摄像头。</translation>
    </message>
    <message>
        <source>Please choose a service</source>
        <translation>请选择要办理的业务</translation>
    </message>
    <message>
        <source>Hello, {name}. Touch one of the large buttons.</source>
        <translation>{name}，您好。请点一下下面的大按钮。</translation>
    </message>
    <message>
        <source>Please choose a service.</source>
        <translation>请选择要办理的业务。</translation>
    </message>
    <message>
        <source>Looking up your records…</source>
        <translation>正在查询您的记录…</translation>
    </message>
    <message>
        <source>Please wait a moment.</source>
        <translation>请稍候。</translation>
    </message>
    <message>
        <source>Looking up your records. Please wait.</source>
        <translation>正在查询您的记录，请稍候。</translation>
    </message>
    <message>
        <source>Your pension contribution records</source>
        <translation>您的养老保险缴费记录</translation>
    </message>
    <message>
        <source>{status} Insured since {since}; {months} months paid in total.</source>
        <translation>{status}参保起始：{since}；累计缴费 {months} 个月。</translation>
    </message>
    <message>
        <source>Here are your pension contribution records. You can print them.</source>
        <translation>这是您的养老保险缴费记录，可以打印出来。</translation>
    </message>
    <message>
        <source>Touch one answer.</source>
        <translation>请点选一项。</translation>
    </message>
    <message>
        <source>Please choose one answer.</source>
        <translation>请点选一项。</translation>
    </message>
    <message>
        <source>Sending your application…</source>
        <translation>正在提交您的申请…</translation>
    </message>
    <message>
        <source>Please wait a moment and leave the card in the reader.</source>
        <translation>请稍候，不要拔出社保卡。</translation>
    </message>
    <message>
        <source>Please wait.</source>
        <translation>请稍候。</translation>
    </message>
    <message>
        <source>Preparing your document…</source>
        <translation>正在准备您的材料…</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <source>Your printout comes out of the slot below the screen.</source>
        <translation>打印件会从屏幕下方的出纸口出来。</translation>
    </message>
    <message>
        <source>Printing. Please wait.</source>
        <translation>正在打印，请稍候。</translation>
    </message>
    <message>
        <source>Done: your application has been received</source>
        <translation>办理成功：您的申请已受理</translation>
    </message>
    <message>
        <source>Case number {local}. {printed}</source>
        <translation>业务编号 {local}。{printed}</translation>
    </message>
    <message>
        <source>Your application has been received.</source>
        <translation>您的申请已受理。</translation>
    </message>
    <message>
        <source>Your document is ready</source>
        <translation>您的材料已办好</translation>
    </message>
    <message>
        <source>Document number {number}. {printed}</source>
        <translation>材料编号 {number}。{printed}</translation>
    </message>
    <message>
        <source>Your document is ready.</source>
        <translation>您的材料已办好。</translation>
    </message>
    <message>
        <source>Please take your printout</source>
        <translation>请取走打印件</translation>
    </message>
    <message>
        <source>It is in the slot below the screen.</source>
        <translation>打印件在屏幕下方的出纸口。</translation>
    </message>
    <message>
        <source>Please take your printout from the slot below the screen.</source>
        <translation>请从屏幕下方的出纸口取走打印件。</translation>
    </message>
    <message>
        <source>This kiosk cannot print right now</source>
        <translation>本机暂时无法打印</translation>
    </message>
    <message>
        <source>Please ask a staff member at a service window; they can print it for you.</source>
        <translation>请到窗口找工作人员，他们可以为您打印。</translation>
    </message>
    <message>
        <source>This kiosk cannot print right now. Please ask a staff member for help.</source>
        <translation>本机暂时无法打印，请找工作人员帮忙。</translation>
    </message>
    <message>
        <source>Please go to a service window</source>
        <translation>请到窗口办理</translation>
    </message>
    <message>
        <source>This cannot be done at the kiosk. Please go to a service window.</source>
        <translation>这项业务不能在自助终端办理，请到窗口办理。</translation>
    </message>
    <message>
        <source>That did not work</source>
        <translation>没有办成</translation>
    </message>
    <message>
        <source>That did not work. Please ask a staff member for help.</source>
        <translation>没有办成，请找工作人员帮忙。</translation>
    </message>
    <message>
        <source>Please take your card</source>
        <translation>请取走您的社保卡</translation>
    </message>
    <message>
        <source>Take the social security card out of the reader. Thank you.</source>
        <translation>请把社保卡从读卡器中取出。谢谢。</translation>
    </message>
    <message>
        <source>Please remember to take your social security card.</source>
        <translation>请记得取走您的社保卡。</translation>
    </message>
    <message>
        <source>Thank you</source>
        <translation>谢谢</translation>
    </message>
    <message>
        <source>Goodbye.</source>
        <translation>再见。</translation>
    </message>
    <message>
        <source>Thank you. Goodbye.</source>
        <translation>谢谢，再见。</translation>
    </message>
    <message>
        <source>Your card was taken out</source>
        <translation>社保卡已拔出</translation>
    </message>
    <message>
        <source>Everything shown has been cleared.</source>
        <translation>屏幕上的信息已全部清除。</translation>
    </message>
    <message>
        <source>Your card was taken out. Everything shown has been cleared.</source>
        <translation>社保卡已拔出，屏幕上的信息已全部清除。</translation>
    </message>
    <message>
        <source>Are you still there?</source>
        <translation>您还在吗？</translation>
    </message>
    <message>
        <source>Touch the button to continue. Otherwise the screen is cleared in {seconds} s.</source>
        <translation>请点按钮继续办理。{seconds} 秒后将清除屏幕上的信息。</translation>
    </message>
    <message>
        <source>Are you still there? Please touch the screen to continue.</source>
        <translation>您还在吗？请点屏幕上的按钮继续办理。</translation>
    </message>
    <message>
        <source>A staff member is on the way</source>
        <translation>工作人员马上就到</translation>
    </message>
    <message>
        <source>Please wait here.</source>
        <translation>请在这里稍候。</translation>
    </message>
    <message>
        <source>A staff member has been called. Please wait here.</source>
        <translation>已通知工作人员，请在这里稍候。</translation>
    </message>
    <message>
        <source>Please raise your hand</source>
        <translation>请举手示意</translation>
    </message>
    <message>
        <source>The call did not get through. Please wave to a staff member or go to a window.</source>
        <translation>呼叫没有接通，请向工作人员招手，或到窗口求助。</translation>
    </message>
    <message>
        <source>The call did not get through. Please wave to a staff member.</source>
        <translation>呼叫没有接通，请向工作人员招手示意。</translation>
    </message>
    <message>
        <source>Staff: administration</source>
        <translation>工作人员：终端管理</translation>
    </message>
    <message>
        <source>Sign in with an administrator account.</source>
        <translation>请用管理员账号登录。</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>This account cannot open the kiosk: a clerk account is needed.</source>
        <translation>该账号不能开启自助终端：需要窗口人员账号。</translation>
    </message>
    <message>
        <source>The kiosk cannot reach the social security system right now.</source>
        <translation>自助终端暂时连不上社保业务系统。</translation>
    </message>
    <message>
        <source>Needs the card PIN.</source>
        <translation>需要先核验社保卡密码。</translation>
    </message>
    <message>
        <source>Needs the face check: please go to a service window.</source>
        <translation>需要人脸核验，请到窗口办理。</translation>
    </message>
    <message>
        <source>Not available right now: please go to a service window.</source>
        <translation>暂时不能办理，请到窗口办理。</translation>
    </message>
    <message>
        <source>You are insured and contributing.</source>
        <translation>您正在参保缴费。</translation>
    </message>
    <message>
        <source>You receive your pension.</source>
        <translation>您正在领取养老金。</translation>
    </message>
    <message>
        <source>No contributions are on record.</source>
        <translation>没有查到缴费记录。</translation>
    </message>
    <message>
        <source>This kiosk cannot print right now; a service window can print it for you.</source>
        <translation>本机暂时无法打印，可到窗口请工作人员为您打印。</translation>
    </message>
    <message>
        <source>Please take your printout from the slot below the screen.</source>
        <translation>请从屏幕下方出纸口取走打印件。</translation>
    </message>
    <message>
        <source>This needs a staff member&apos;s check. A service window can help you.</source>
        <translation>这项业务需要工作人员审核，请到窗口办理。</translation>
    </message>
    <message>
        <source>The kiosk&apos;s sign-in has expired. Staff: open it again.</source>
        <translation>自助终端的登录已过期，请工作人员重新开启。</translation>
    </message>
    <message>
        <source>The social security system has no record of this card.</source>
        <translation>社保业务系统中没有这张卡的记录。</translation>
    </message>
    <message>
        <source>A different card is in the reader.</source>
        <translation>读卡器中换了一张卡。</translation>
    </message>
    <message>
        <source>The card cannot be read. It may be damaged.</source>
        <translation>这张卡读不出来，可能已损坏。</translation>
    </message>
    <message>
        <source>The kiosk could not finish this.</source>
        <translation>自助终端没能办完这项业务。</translation>
    </message>
    <message>
        <source>This account is not an administrator&apos;s.</source>
        <translation>该账号不是管理员账号。</translation>
    </message>
    <message>
        <source>Social security self-service</source>
        <translation>社保自助服务</translation>
    </message>
    <message>
        <source>Sample cards</source>
        <translation>样例卡</translation>
    </message>
    <message>
        <source>Call staff</source>
        <translation>呼叫工作人员</translation>
    </message>
    <message>
        <source>Hall Counter — self-service kiosk</source>
        <translation>大厅窗口系统 — 自助终端</translation>
    </message>
    <message>
        <source>Check my contribution records</source>
        <translation>查询参保缴费记录</translation>
    </message>
    <message>
        <source>Print my insurance certificate</source>
        <translation>打印参保证明</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>No</source>
        <translation>否</translation>
    </message>
    <message>
        <source>Yes, I agree</source>
        <translation>同意</translation>
    </message>
    <message>
        <source>No, skip the face check</source>
        <translation>不同意，跳过人脸核验</translation>
    </message>
    <message>
        <source>Another service</source>
        <translation>办理其他业务</translation>
    </message>
    <message>
        <source>Finish and take the card</source>
        <translation>结束办理并取卡</translation>
    </message>
    <message>
        <source>I am still here</source>
        <translation>我还在，继续办理</translation>
    </message>
</context>
<context>
    <name>LanguageSwitchWidget</name>
    <message>
        <source>Interface language</source>
        <translation>界面语言</translation>
    </message>
</context>
<context>
    <name>LockScreenWidget</name>
    <message>
        <source>Screen locked</source>
        <translation>屏幕已锁定</translation>
    </message>
    <message>
        <source>The desk was not used for a while, so the screen locked.</source>
        <translation>本窗口一段时间无人操作，屏幕已自动锁定。</translation>
    </message>
    <message>
        <source>The screen is locked.</source>
        <translation>屏幕已锁定。</translation>
    </message>
    <message>
        <source>Signed in: {name}. Enter your password to go on.</source>
        <translation>当前登录：{name}。请输入密码继续办理。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Sign out instead</source>
        <translation>退出登录</translation>
    </message>
</context>
<context>
    <name>MenuPage</name>
    <message>
        <source>Finish and take the card</source>
        <translation>结束办理并取卡</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>No card reader found. Check that the reader is plugged in.</source>
        <translation>未找到读卡器。请检查读卡器是否已连接。</translation>
    </message>
    <message>
        <source>The smart card service is not running. Restart the computer or call IT support.</source>
        <translation>智能卡服务未运行。请重启电脑或联系信息技术支持。</translation>
    </message>
    <message>
        <source>There is no card in the reader. Ask the citizen to insert the card.</source>
        <translation>读卡器中没有卡。请群众插入社保卡。</translation>
    </message>
    <message>
        <source>The card was taken out of the reader. Ask the citizen to insert it again.</source>
        <translation>卡已从读卡器中拔出。请群众重新插卡。</translation>
    </message>
    <message>
        <source>A different card is now in the reader. Serve the citizen again from the start.</source>
        <translation>读卡器中现在是另一张卡。请从头重新办理。</translation>
    </message>
    <message>
        <source>This card is not a social security card.</source>
        <translation>这张卡不是社会保障卡。</translation>
    </message>
    <message>
        <source>The card&apos;s data cannot be read. The card may be damaged; offer a new card.</source>
        <translation>无法读取卡内数据。卡片可能已损坏，请为群众办理换卡。</translation>
    </message>
    <message>
        <source>The card&apos;s PIN is blocked. Use the PIN reset service.</source>
        <translation>社保卡密码已锁定。请办理密码重置。</translation>
    </message>
    <message>
        <source>The card&apos;s social security application is locked. Offer a new card.</source>
        <translation>卡内社保应用已锁定。请为群众办理换卡。</translation>
    </message>
    <message>
        <source>The card does not answer. Ask the citizen to insert it again.</source>
        <translation>卡片无响应。请群众重新插卡。</translation>
    </message>
    <message>
        <source>The card could not be authenticated. Offer a new card.</source>
        <translation>卡片认证失败。请为群众办理换卡。</translation>
    </message>
    <message>
        <source>Another program is using the card. Close it and insert the card again.</source>
        <translation>其他程序正在使用该卡。请关闭该程序后重新插卡。</translation>
    </message>
    <message>
        <source>More than one card is in the readers. Leave only the citizen&apos;s card.</source>
        <translation>读卡器中有多张卡。请只保留群众的社保卡。</translation>
    </message>
    <message>
        <source>The card reader reported an error. Unplug it and plug it in again.</source>
        <translation>读卡器报告错误。请拔下读卡器后重新连接。</translation>
    </message>
    <message>
        <source>The card answered in an unexpected way. Ask the citizen to insert it again.</source>
        <translation>卡片应答异常。请群众重新插卡。</translation>
    </message>
    <message>
        <source>No card has been read yet. Ask the citizen to insert the card.</source>
        <translation>尚未读卡。请群众插入社保卡。</translation>
    </message>
    <message>
        <source>The PIN must be 4 to 12 digits.</source>
        <translation>密码必须为 4 至 12 位数字。</translation>
    </message>
    <message>
        <source>This third-generation card needs the card key service, which is not set up here.</source>
        <translation>第三代社保卡需要卡密钥服务，本窗口尚未配置。</translation>
    </message>
    <message>
        <source>The card service has stopped. Restart the application.</source>
        <translation>读卡服务已停止。请重新启动程序。</translation>
    </message>
    <message>
        <source>Internal error in the card software. The details are in the log.</source>
        <translation>读卡软件内部错误。详细信息见日志。</translation>
    </message>
    <message>
        <source>A card reader is plugged in but has no driver. Install the driver, then plug the reader in again.</source>
        <translation>读卡器已连接，但未安装驱动程序。请安装驱动后重新插拔读卡器。</translation>
    </message>
    <message>
        <source>The smart card library cannot be loaded. Reinstall the application.</source>
        <translation>无法加载智能卡程序库。请重新安装本程序。</translation>
    </message>
    <message>
        <source>The chosen reader holds no social security card.</source>
        <translation>所选读卡器中没有社会保障卡。</translation>
    </message>
    <message>
        <source>No PIN was entered in time. Please try again.</source>
        <translation>未在规定时间内输入密码，请重试。</translation>
    </message>
    <message>
        <source>PIN entry was cancelled on the reader&apos;s keypad.</source>
        <translation>已在读卡器键盘上取消输入密码。</translation>
    </message>
    <message>
        <source>The PIN has the wrong number of digits. Enter 6 digits.</source>
        <translation>密码位数不正确，请输入6位密码。</translation>
    </message>
    <message>
        <source>The reader&apos;s keypad reported an error. Try again or use the on-screen keypad.</source>
        <translation>读卡器键盘出错，请重试或改用屏幕键盘。</translation>
    </message>
    <message>
        <source>This reader takes the PIN only on its own keypad.</source>
        <translation>此读卡器只能在其自带键盘上输入密码。</translation>
    </message>
    <message>
        <source>This reader has no PIN keypad; use the on-screen keypad.</source>
        <translation>此读卡器没有密码键盘，请使用屏幕键盘。</translation>
    </message>
    <message>
        <source>The card reader&apos;s interface library (SSCardDriver) cannot be loaded. Check the setting or reinstall it.</source>
        <translation>无法加载读卡器接口程序（SSCardDriver）。请检查配置或重新安装。</translation>
    </message>
    <message>
        <source>The card reader&apos;s interface library reported an error.</source>
        <translation>读卡器接口程序报告错误。</translation>
    </message>
    <message>
        <source>The smart card service and reader work.</source>
        <translation>智能卡服务和读卡器工作正常。</translation>
    </message>
    <message>
        <source>The smart card service reported an error. Restart it, or call IT support.</source>
        <translation>智能卡服务报告错误。请重启该服务，或联系技术支持。</translation>
    </message>
    <message>
        <source>The card in {reader} is not a social security card; it is ignored.</source>
        <translation>读卡器“{reader}”中的卡不是社会保障卡，已忽略。</translation>
    </message>
    <message>
        <source>The card in the reader was exchanged. Start again with this card.</source>
        <translation>读卡器中的卡已被更换，请用这张卡重新开始办理。</translation>
    </message>
    <message>
        <source>Social security cards are in several readers. Choose the one to serve.</source>
        <translation>多个读卡器中有社会保障卡，请选择为哪一张卡办理业务。</translation>
    </message>
    <message>
        <source>Enter your PIN on the reader&apos;s keypad and press OK.</source>
        <translation>请在读卡器键盘上输入社会保障卡密码，按“确认”键结束。</translation>
    </message>
    <message>
        <source>The card refused the command (status {status}). Try inserting it again.</source>
        <translation>卡片拒绝了指令（状态 {status}）。请重新插卡再试。</translation>
    </message>
    <message>
        <source>Card problem (code {code}).</source>
        <translation>卡片问题（代码 {code}）。</translation>
    </message>
    <message>
        <source>The ID number&apos;s check digit is wrong. Check the citizen&apos;s resident ID card.</source>
        <translation>身份证号码校验位错误。请核对群众的居民身份证。</translation>
    </message>
    <message>
        <source>The ID number is not in the citizen ID format. Check the citizen&apos;s identity document.</source>
        <translation>身份证号码不符合公民身份号码格式。请核对群众的身份证件。</translation>
    </message>
    <message>
        <source>The card holds an old 15-digit ID number, which has no check digit.</source>
        <translation>卡内为旧的 15 位身份证号码，没有校验位。</translation>
    </message>
    <message>
        <source>The birth date on the card does not match the ID number. Check the citizen&apos;s resident ID card.</source>
        <translation>卡内出生日期与身份证号码不一致。请核对群众的居民身份证。</translation>
    </message>
    <message>
        <source>The sex on the card does not match the ID number. Check the resident ID card.</source>
        <translation>卡内性别与身份证号码不一致。请核对居民身份证。</translation>
    </message>
    <message>
        <source>The card has expired.</source>
        <translation>卡片已过有效期。</translation>
    </message>
    <message>
        <source>The card&apos;s issue date is later than its expiry date. Check the card.</source>
        <translation>卡片的发卡日期晚于有效期，请核对卡片。</translation>
    </message>
    <message>
        <source>The card does not state the holder&apos;s sex.</source>
        <translation>卡内未登记性别。</translation>
    </message>
    <message>
        <source>The sex on the card is not a valid code.</source>
        <translation>卡内性别信息无效。</translation>
    </message>
    <message>
        <source>Some data on the card is longer than the card standard allows. Check the card.</source>
        <translation>卡内部分信息超出规范长度，请核对卡片。</translation>
    </message>
    <message>
        <source>The name on the card differs from central&apos;s record.</source>
        <translation>卡内姓名与中心系统记录不一致。</translation>
    </message>
    <message>
        <source>Central could not be reached: the identity is checked offline.</source>
        <translation>无法连接中心系统：身份按离线方式核验。</translation>
    </message>
    <message>
        <source>Card data warning (code {code}).</source>
        <translation>卡内数据提示（代码 {code}）。</translation>
    </message>
    <message>
        <source>Card in normal use</source>
        <translation>卡片状态正常</translation>
    </message>
    <message>
        <source>This card has been reported lost. It cannot be used for services.</source>
        <translation>该卡已挂失，不能用于办理业务。</translation>
    </message>
    <message>
        <source>This card has been cancelled. It cannot be used for services.</source>
        <translation>该卡已注销，不能用于办理业务。</translation>
    </message>
    <message>
        <source>This card has been replaced by a newer card. Ask for the new card.</source>
        <translation>该卡已被新卡替换。请群众出示新卡。</translation>
    </message>
    <message>
        <source>Card status unknown (checked offline)</source>
        <translation>卡状态未知（离线核验）</translation>
    </message>
    <message>
        <source>Card status: {status}</source>
        <translation>卡状态：{status}</translation>
    </message>
    <message>
        <source>Reader ready</source>
        <translation>读卡器就绪</translation>
    </message>
    <message>
        <source>No card reader</source>
        <translation>无读卡器</translation>
    </message>
    <message>
        <source>Smart card service stopped</source>
        <translation>智能卡服务已停止</translation>
    </message>
    <message>
        <source>Card reader without driver</source>
        <translation>读卡器未安装驱动</translation>
    </message>
    <message>
        <source>Card reader interface library missing</source>
        <translation>缺少读卡器接口程序</translation>
    </message>
    <message>
        <source>Reader: {state}</source>
        <translation>读卡器：{state}</translation>
    </message>
    <message>
        <source>Tries left: unknown</source>
        <translation>剩余次数未知</translation>
    </message>
    <message>
        <source>Tries left: {count}</source>
        <translation>剩余 {count} 次</translation>
    </message>
    <message>
        <source>PIN correct.</source>
        <translation>密码正确。</translation>
    </message>
    <message>
        <source>Wrong PIN. The card did not say how many tries are left.</source>
        <translation>密码错误。卡片未提供剩余次数。</translation>
    </message>
    <message>
        <source>Wrong PIN. Tries left: {count}.</source>
        <translation>密码错误。剩余 {count} 次。</translation>
    </message>
    <message>
        <source>The PIN is now blocked. The citizen can unblock it with the PIN reset service.</source>
        <translation>密码已锁定。群众可通过密码重置业务解锁。</translation>
    </message>
    <message>
        <source>The card was taken out during the PIN check. This does not count as a wrong PIN; insert the card and try again.</source>
        <translation>核验密码时卡被拔出。这不计为密码错误；请重新插卡再试。</translation>
    </message>
    <message>
        <source>The card gave no clear answer to the PIN check. Try again.</source>
        <translation>卡片对密码核验没有给出明确应答。请重试。</translation>
    </message>
    <message>
        <source>Image quality good</source>
        <translation>图像质量良好</translation>
    </message>
    <message>
        <source>No face found in the picture. Ask the citizen to look at the camera.</source>
        <translation>图像中未发现人脸。请群众正对摄像头。</translation>
    </message>
    <message>
        <source>The picture could not be read. Take it again.</source>
        <translation>无法读取图像。请重新拍摄。</translation>
    </message>
    <message>
        <source>The card photo on record shows no usable face. Use the alternative check.</source>
        <translation>留存的卡片照片中没有可用的人脸。请采用替代核验方式。</translation>
    </message>
    <message>
        <source>The card photo on record cannot be read. Use the alternative check.</source>
        <translation>留存的卡片照片无法读取。请采用替代核验方式。</translation>
    </message>
    <message>
        <source>More than one face in the picture; the largest one was compared.</source>
        <translation>图像中有多张人脸；已比对最大的一张。</translation>
    </message>
    <message>
        <source>Face check note (code {code}).</source>
        <translation>人脸核验提示（代码 {code}）。</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>待发送</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>被退回</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>已撤回</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>用户名或密码错误。</translation>
    </message>
    <message>
        <source>Your sign-in has expired. Sign in again.</source>
        <translation>登录已过期。请重新登录。</translation>
    </message>
    <message>
        <source>Central could not handle the request. Try again; if it persists, call IT support.</source>
        <translation>中心系统无法处理该请求。请重试；如仍失败，请联系信息技术支持。</translation>
    </message>
    <message>
        <source>The card could not be read. Ask the citizen to insert it again.</source>
        <translation>无法读卡。请群众重新插卡。</translation>
    </message>
    <message>
        <source>The citizen&apos;s session has ended. Ask the citizen to insert the card.</source>
        <translation>本次办理已结束。请群众插入社保卡。</translation>
    </message>
    <message>
        <source>This case needs a supervisor&apos;s co-signature.</source>
        <translation>本业务需要主管复核。</translation>
    </message>
    <message>
        <source>This account is not a supervisor&apos;s and cannot co-sign.</source>
        <translation>该账号不是主管账号，不能复核。</translation>
    </message>
    <message>
        <source>A supervisor cannot co-sign a case they made themselves.</source>
        <translation>主管不能复核自己经办的业务。</translation>
    </message>
    <message>
        <source>The case could not be stored on this desk. Call IT support.</source>
        <translation>业务无法保存在本窗口。请联系信息技术支持。</translation>
    </message>
    <message>
        <source>The desk is shutting down.</source>
        <translation>本窗口程序正在关闭。</translation>
    </message>
    <message>
        <source>This account is locked after too many failed sign-ins. Ask a supervisor.</source>
        <translation>登录失败次数过多，该账号已锁定。请联系主管。</translation>
    </message>
    <message>
        <source>Central did not accept the sign-in. Sign in again.</source>
        <translation>中心系统未接受登录。请重新登录。</translation>
    </message>
    <message>
        <source>Your account may not do this. Ask a supervisor.</source>
        <translation>您的账号无权执行此操作。请联系主管。</translation>
    </message>
    <message>
        <source>Central cannot be reached. Check the network or try again later.</source>
        <translation>无法连接中心系统。请检查网络或稍后再试。</translation>
    </message>
    <message>
        <source>Central cannot be reached and this account has not signed in here recently, so it cannot sign in offline.</source>
        <translation>无法连接中心系统，且该账号近期未在本窗口登录过，因此不能离线登录。</translation>
    </message>
    <message>
        <source>Central sent an answer the desk cannot understand. Call IT support.</source>
        <translation>中心系统返回了无法识别的应答。请联系信息技术支持。</translation>
    </message>
    <message>
        <source>The connection to central is not trusted (certificate problem).</source>
        <translation>与中心系统的连接不可信（证书问题）。</translation>
    </message>
    <message>
        <source>Sign in first.</source>
        <translation>请先登录。</translation>
    </message>
    <message>
        <source>No citizen is being served. Ask the citizen to insert the card.</source>
        <translation>当前没有正在办理的群众。请群众插入社保卡。</translation>
    </message>
    <message>
        <source>Central has no record of this card. Check the card and the ID number.</source>
        <translation>中心系统没有这张卡的记录。请核对卡片和身份证号码。</translation>
    </message>
    <message>
        <source>Central&apos;s record of this card does not match the card.</source>
        <translation>中心系统中该卡的记录与卡片不一致。</translation>
    </message>
    <message>
        <source>This service needs the card PIN. Ask the citizen to enter it first.</source>
        <translation>本服务事项需要社保卡密码。请先请群众输入密码。</translation>
    </message>
    <message>
        <source>This service needs a face check (or the alternative check) first.</source>
        <translation>本服务事项需要先完成人脸核验（或替代核验）。</translation>
    </message>
    <message>
        <source>The face check is not available now. Use the alternative check.</source>
        <translation>人脸核验暂不可用。请采用替代核验方式。</translation>
    </message>
    <message>
        <source>The face check software is not installed completely. Call IT support.</source>
        <translation>人脸核验软件安装不完整。请联系信息技术支持。</translation>
    </message>
    <message>
        <source>Central has no card photo for this citizen. Use the alternative check.</source>
        <translation>中心系统没有该群众的卡片照片。请采用替代核验方式。</translation>
    </message>
    <message>
        <source>This service is not in the catalogue any more. Choose another one.</source>
        <translation>该服务事项已不在目录中。请选择其他事项。</translation>
    </message>
    <message>
        <source>Some fields are missing or wrong. See the notes next to the fields.</source>
        <translation>部分字段缺失或有误。请查看字段旁的提示。</translation>
    </message>
    <message>
        <source>Too many cases are waiting to be sent. New cases are refused until the network is back and the queue has been sent.</source>
        <translation>等待发送的业务过多。在网络恢复、队列发送完毕之前，不能受理新业务。</translation>
    </message>
    <message>
        <source>Central already has a different case with this key. Call IT support.</source>
        <translation>中心系统已有使用该幂等键的另一笔业务。请联系信息技术支持。</translation>
    </message>
    <message>
        <source>The service catalogue could not be loaded. Try again later.</source>
        <translation>无法加载服务事项目录。请稍后再试。</translation>
    </message>
    <message>
        <source>Central&apos;s answer was about another case; the desk will send this one again.</source>
        <translation>中心返回的结果不属于这笔业务，本机将重新发送。</translation>
    </message>
    <message>
        <source>Central&apos;s answer was far too large and was refused; the desk will retry.</source>
        <translation>中心返回的数据异常过大，已拒收，本机将重试。</translation>
    </message>
    <message>
        <source>The desk&apos;s queue of cases is missing although its key exists, so cases may have been lost. Nothing new is accepted. Call IT support to restore the queue.</source>
        <translation>本机的待发送业务队列丢失（其密钥仍在），业务可能已丢失。暂停受理新业务，请联系信息技术人员恢复队列。</translation>
    </message>
    <message>
        <source>The desk&apos;s queue of cases is damaged and cannot be read. Call IT support.</source>
        <translation>本机的待发送业务队列已损坏，无法读取。请联系信息技术人员。</translation>
    </message>
    <message>
        <source>The desk&apos;s queue of cases is empty where cases were expected.</source>
        <translation>本机的待发送业务队列为空，与预期不符。</translation>
    </message>
    <message>
        <source>The key that opens this desk&apos;s stored cases is not here (was the data folder moved?). Call IT support.</source>
        <translation>找不到打开本机已存业务的密钥（数据文件夹是否被移动？）。请联系信息技术人员。</translation>
    </message>
    <message>
        <source>The key found does not open this desk&apos;s stored cases. Call IT support.</source>
        <translation>现有密钥无法打开本机已存的业务。请联系信息技术人员。</translation>
    </message>
    <message>
        <source>The desk&apos;s audit log is damaged. Call IT support.</source>
        <translation>本机的审计日志已损坏。请联系信息技术人员。</translation>
    </message>
    <message>
        <source>The key found does not match this desk&apos;s audit log. Call IT support.</source>
        <translation>现有密钥与本机的审计日志不匹配。请联系信息技术人员。</translation>
    </message>
    <message>
        <source>The key of this desk&apos;s audit log is missing. Call IT support.</source>
        <translation>本机审计日志的密钥缺失。请联系信息技术人员。</translation>
    </message>
    <message>
        <source>The audit log is closed; the desk is stopping.</source>
        <translation>审计日志已关闭，本机正在停止。</translation>
    </message>
    <message>
        <source>The action could not be written to the audit log, so it was not done. Call IT support.</source>
        <translation>操作无法写入审计日志，因此未执行。请联系信息技术人员。</translation>
    </message>
    <message>
        <source>This desk has no audit log yet.</source>
        <translation>本机尚无审计日志。</translation>
    </message>
    <message>
        <source>The audit log uses a method this version does not know. Call IT support.</source>
        <translation>审计日志使用了本版本不支持的算法。请联系信息技术人员。</translation>
    </message>
    <message>
        <source>Choose a reason for withdrawing the case.</source>
        <translation>请选择撤回业务的原因。</translation>
    </message>
    <message>
        <source>The case&apos;s content is no longer stored on this desk.</source>
        <translation>本机已不再保存该业务的内容。</translation>
    </message>
    <message>
        <source>The file is not a case export of Hall Counter, or it is damaged.</source>
        <translation>该文件不是本系统导出的业务文件，或已损坏。</translation>
    </message>
    <message>
        <source>Training cases and real cases do not mix: this file comes from the other kind of desk and is not imported.</source>
        <translation>培训案件与真实案件不能混用：此文件来自另一类窗口，未导入。</translation>
    </message>
    <message>
        <source>The file could not be read.</source>
        <translation>无法读取该文件。</translation>
    </message>
    <message>
        <source>The file could not be written. Choose another place.</source>
        <translation>无法写入该文件，请选择其他位置。</translation>
    </message>
    <message>
        <source>The key folder must not be inside the data folder. Call IT support.</source>
        <translation>密钥文件夹不能位于数据文件夹内。请联系信息技术人员。</translation>
    </message>
    <message>
        <source>Other users can read the desk&apos;s key file. Call IT support.</source>
        <translation>本机密钥文件可被其他用户读取。请联系信息技术人员。</translation>
    </message>
    <message>
        <source>The desk&apos;s key file cannot be read. Call IT support.</source>
        <translation>无法读取本机密钥文件。请联系信息技术人员。</translation>
    </message>
    <message>
        <source>This desk has no queue of cases yet.</source>
        <translation>本机尚无待发送业务队列。</translation>
    </message>
    <message>
        <source>That case is not in this desk&apos;s queue.</source>
        <translation>本机队列中没有这笔业务。</translation>
    </message>
    <message>
        <source>This case can no longer be corrected.</source>
        <translation>这笔业务已无法更正。</translation>
    </message>
    <message>
        <source>Another Hall Counter program is using this desk&apos;s queue. Close it first.</source>
        <translation>另一个本系统程序正在使用本机队列，请先关闭它。</translation>
    </message>
    <message>
        <source>The queue of cases is closed; the desk is stopping.</source>
        <translation>业务队列已关闭，本机正在停止。</translation>
    </message>
    <message>
        <source>The passphrase is too short.</source>
        <translation>口令太短。</translation>
    </message>
    <message>
        <source>The passphrase is wrong.</source>
        <translation>口令错误。</translation>
    </message>
    <message>
        <source>This desk&apos;s queue is read-only here.</source>
        <translation>本机队列在此处为只读。</translation>
    </message>
    <message>
        <source>The stored cases use an encryption this version does not know. Call IT support.</source>
        <translation>已存业务使用了本版本不支持的加密方式。请联系信息技术人员。</translation>
    </message>
    <message>
        <source>The configured encryption suite is unknown. Call IT support.</source>
        <translation>配置的加密套件未知。请联系信息技术人员。</translation>
    </message>
    <message>
        <source>The scanned e-card code was not recognised. Scan it again.</source>
        <translation>未能识别扫描的电子社保卡二维码，请重新扫描。</translation>
    </message>
    <message>
        <source>The e-card code is invalid or expired. Ask the citizen to refresh it and scan again.</source>
        <translation>电子社保卡二维码无效或已过期，请让市民刷新二维码后重新扫描。</translation>
    </message>
    <message>
        <source>The e-card code has expired. Ask the citizen to refresh it and scan again.</source>
        <translation>电子社保卡二维码已过期，请让市民刷新二维码后重新扫描。</translation>
    </message>
    <message>
        <source>Central does not know this e-card code. Ask the citizen to refresh it.</source>
        <translation>中心系统无法识别此电子社保卡二维码，请让市民刷新二维码。</translation>
    </message>
    <message>
        <source>This e-card code was used already. Ask the citizen to refresh it.</source>
        <translation>此电子社保卡二维码已使用过，请让市民刷新二维码。</translation>
    </message>
    <message>
        <source>The e-card can only be checked while central is reachable. Use the physical card.</source>
        <translation>电子社保卡需连接中心系统才能核验，请使用实体社保卡。</translation>
    </message>
    <message>
        <source>The e-card gave no card number, so no case can be made. Ask the citizen for the physical card.</source>
        <translation>电子社保卡未提供卡号，无法办理业务。请市民出示实体社保卡。</translation>
    </message>
    <message>
        <source>No card PIN is needed: the citizen showed the e-card.</source>
        <translation>市民出示的是电子社保卡，无需输入社保卡密码。</translation>
    </message>
    <message>
        <source>The two new PINs are not the same. Enter them again.</source>
        <translation>两次输入的新密码不一致，请重新输入。</translation>
    </message>
    <message>
        <source>the face check did not match and the clerk goes ahead</source>
        <translation>人脸核验不匹配，经办人仍继续办理</translation>
    </message>
    <message>
        <source>the citizen declined the face check, or it was not possible</source>
        <translation>群众拒绝人脸核验，或无法进行人脸核验</translation>
    </message>
    <message>
        <source>the identity was checked offline</source>
        <translation>身份为离线核验</translation>
    </message>
    <message>
        <source>the card PIN is reset</source>
        <translation>重置社保卡密码</translation>
    </message>
    <message>
        <source>the amount is over the limit for this service</source>
        <translation>金额超过本服务事项的限额</translation>
    </message>
    <message>
        <source>{message} (code {code})</source>
        <translation>{message}（代码 {code}）</translation>
    </message>
    <message>
        <source>The operation failed (code {code}).</source>
        <translation>操作失败（代码 {code}）。</translation>
    </message>
    <message>
        <source>Something went wrong ({kind}). The details are in the log.</source>
        <translation>出现错误（{kind}）。详细信息见日志。</translation>
    </message>
    <message>
        <source>Central rejected the case: {reason}</source>
        <translation>中心系统退回了该业务：{reason}</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>必填。</translation>
    </message>
    <message>
        <source>Must be at least {limit}.</source>
        <translation>不能小于 {limit}。</translation>
    </message>
    <message>
        <source>Must be more than {limit}.</source>
        <translation>必须大于 {limit}。</translation>
    </message>
    <message>
        <source>Must be at most {limit}.</source>
        <translation>不能大于 {limit}。</translation>
    </message>
    <message>
        <source>Must be less than {limit}.</source>
        <translation>必须小于 {limit}。</translation>
    </message>
    <message>
        <source>At least {limit} characters.</source>
        <translation>至少 {limit} 个字符。</translation>
    </message>
    <message>
        <source>At most {limit} characters.</source>
        <translation>最多 {limit} 个字符。</translation>
    </message>
    <message>
        <source>Not in the expected format.</source>
        <translation>格式不正确。</translation>
    </message>
    <message>
        <source>Not a valid {format}.</source>
        <translation>不是有效的 {format}。</translation>
    </message>
    <message>
        <source>Enter a whole number.</source>
        <translation>请输入整数。</translation>
    </message>
    <message>
        <source>Enter a number.</source>
        <translation>请输入数字。</translation>
    </message>
    <message>
        <source>Choose one of the options.</source>
        <translation>请从选项中选择。</translation>
    </message>
    <message>
        <source>Not the expected kind of value.</source>
        <translation>值的类型不正确。</translation>
    </message>
    <message>
        <source>This field does not belong to the form.</source>
        <translation>该字段不属于本表单。</translation>
    </message>
    <message>
        <source>Not valid.</source>
        <translation>无效。</translation>
    </message>
    <message>
        <source>Cannot be corrected</source>
        <translation>无法更正</translation>
    </message>
    <message>
        <source>Central asked the desk to wait; the desk will try again later.</source>
        <translation>中心要求稍候；本窗口稍后会重试。</translation>
    </message>
    <message>
        <source>Central could not be reached; the desk will try again.</source>
        <translation>无法连接中心；本窗口会重试。</translation>
    </message>
    <message>
        <source>Central did not accept the supervisor&apos;s co-signature.</source>
        <translation>中心未接受主管的复核签名。</translation>
    </message>
    <message>
        <source>Central did not accept this workstation&apos;s sign-in; the case waits. Call IT support.</source>
        <translation>中心未接受本工作站的登录；业务继续等待。请联系信息技术支持。</translation>
    </message>
    <message>
        <source>Central did not answer in time; the desk will try again.</source>
        <translation>中心未及时应答；本窗口会重试。</translation>
    </message>
    <message>
        <source>Central found the case incomplete or inconsistent. Correct or withdraw it.</source>
        <translation>中心认为该业务不完整或前后不一致。请更正或撤回。</translation>
    </message>
    <message>
        <source>Central gave an unexpected answer; the desk will try again.</source>
        <translation>中心返回了意外的应答；本窗口会重试。</translation>
    </message>
    <message>
        <source>Central had an internal error; the desk will try again.</source>
        <translation>中心发生内部错误；本窗口会重试。</translation>
    </message>
    <message>
        <source>Central needs a stronger identity check for this service.</source>
        <translation>中心要求对此业务进行更严格的身份核验。</translation>
    </message>
    <message>
        <source>Duplicate of another case</source>
        <translation>与其他业务重复</translation>
    </message>
    <message>
        <source>Entered in error</source>
        <translation>录入错误</translation>
    </message>
    <message>
        <source>New cases are refused: too many cases on this desk have not reached central. Check the network and use &apos;Send now&apos;.</source>
        <translation>暂停受理新业务：本窗口有过多业务尚未送达中心。请检查网络并使用“立即发送”。</translation>
    </message>
    <message>
        <source>Other reason</source>
        <translation>其他原因</translation>
    </message>
    <message>
        <source>The case names another workstation than the one that sent it.</source>
        <translation>该业务记录的工作站与发送它的工作站不一致。</translation>
    </message>
    <message>
        <source>The case was not sent (code {code}).</source>
        <translation>业务未发送（代码 {code}）。</translation>
    </message>
    <message>
        <source>The citizen asked for it</source>
        <translation>群众本人要求</translation>
    </message>
    <message>
        <source>The stored case cannot be opened on this desk. Call IT support.</source>
        <translation>本窗口无法打开已保存的业务。请联系信息技术支持。</translation>
    </message>
    <message>
        <source>The training central simulated a failure; the desk will try again.</source>
        <translation>培训中心模拟了一次故障；本窗口会重试。</translation>
    </message>
    <message>
        <source>Central found fields missing or wrong. Correct or withdraw the case.</source>
        <translation>中心认为部分字段缺失或有误。请更正或撤回该业务。</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Case (version)</source>
        <translation>业务（版本）</translation>
    </message>
    <message>
        <source>Case {local_id} was withdrawn.</source>
        <translation>业务 {local_id} 已撤回。</translation>
    </message>
    <message>
        <source>Cases queued at this desk</source>
        <translation>本窗口排队的业务</translation>
    </message>
    <message>
        <source>Central case</source>
        <translation>中心业务号</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Next try</source>
        <translation>下次尝试</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>发件箱</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>入队时间</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>立即发送</translation>
    </message>
    <message>
        <source>Sending the waiting cases now.</source>
        <translation>正在立即发送等待中的业务。</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Withdraw…</source>
        <translation>撤回…</translation>
    </message>
    <message>
        <source>{local_id} (v{version})</source>
        <translation>{local_id}（第 {version} 版）</translation>
    </message>
    <message>
        <source>{reason} Fields: {fields}</source>
        <translation>{reason} 字段：{fields}</translation>
    </message>
    <message>
        <source>{state} — Needs action</source>
        <translation>{state} — 需处理</translation>
    </message>
    <message>
        <source>{state} — corrected as {local_id}</source>
        <translation>{state} — 已更正为 {local_id}</translation>
    </message>
    <message>
        <source>{state} — {reason}</source>
        <translation>{state} — {reason}</translation>
    </message>
    <message>
        <source>Case {old} was corrected and queued as {new}.</source>
        <translation>业务 {old} 已更正，并以 {new} 重新排队。</translation>
    </message>
    <message>
        <source>Correct…</source>
        <translation>更正…</translation>
    </message>
</context>
<context>
    <name>PinKeypadWidget</name>
    <message>
        <source>PIN: {count} digits entered</source>
        <translation>密码：已输入 {count} 位</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>退格</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
</context>
<context>
    <name>PinPage</name>
    <message>
        <source>Cancel and take the card</source>
        <translation>取消并取卡</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>再试一次</translation>
    </message>
    <message>
        <source>The keypad is on the card reader below the screen. Nothing is typed here.</source>
        <translation>键盘在屏幕下方的读卡器上，屏幕上不用输入。</translation>
    </message>
</context>
<context>
    <name>PinPanelWidget</name>
    <message>
        <source>Card PIN</source>
        <translation>社保卡密码</translation>
    </message>
    <message>
        <source>Verify PIN</source>
        <translation>核验密码</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>退格</translation>
    </message>
    <message>
        <source>Open the PIN reset service</source>
        <translation>办理密码重置</translation>
    </message>
    <message>
        <source>Change PIN</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Start PIN entry on the reader&apos;s keypad</source>
        <translation>在读卡器键盘上输入密码</translation>
    </message>
    <message>
        <source>Current PIN</source>
        <translation>原密码</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New PIN again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Change the PIN</source>
        <translation>确认修改密码</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Reading how many tries are left…</source>
        <translation>正在读取剩余次数…</translation>
    </message>
    <message>
        <source>Insert the card to enter the PIN.</source>
        <translation>插卡后才能输入密码。</translation>
    </message>
    <message>
        <source>Ask the citizen to enter the card PIN on the keypad ({minimum}–{maximum} digits).</source>
        <translation>请群众在数字键盘上输入社保卡密码（{minimum}–{maximum} 位数字）。</translation>
    </message>
    <message>
        <source>This reader has its own keypad: the citizen enters the PIN there.</source>
        <translation>此读卡器带有密码键盘，请市民在读卡器键盘上输入密码。</translation>
    </message>
    <message>
        <source>Checking the PIN with the card…</source>
        <translation>正在由卡片核验密码…</translation>
    </message>
    <message>
        <source>Ask the citizen to enter the current PIN, then the new PIN twice ({minimum}–{maximum} digits).</source>
        <translation>请市民先输入原密码，再输入两次新密码（{minimum}–{maximum} 位数字）。</translation>
    </message>
    <message>
        <source>Changing the PIN on the card…</source>
        <translation>正在修改卡内密码…</translation>
    </message>
    <message>
        <source>The PIN cannot be entered: it is blocked.</source>
        <translation>密码已锁定，不能输入。</translation>
    </message>
    <message>
        <source>No card PIN is needed: the citizen showed the electronic social security card.</source>
        <translation>市民出示的是电子社保卡，无需输入社保卡密码。</translation>
    </message>
    <message>
        <source>The PIN has been changed. Use the new PIN from now on.</source>
        <translation>密码已修改，今后请使用新密码。</translation>
    </message>
    <message>
        <source>The current PIN is wrong. The PIN was not changed.</source>
        <translation>原密码错误，密码未修改。</translation>
    </message>
    <message>
        <source>The current PIN is wrong. The PIN was not changed. Tries left: {count}.</source>
        <translation>原密码错误，密码未修改。剩余 {count} 次。</translation>
    </message>
    <message>
        <source>The card was taken out while the PIN was being changed. This does not count as a wrong PIN; insert the card and try again.</source>
        <translation>修改密码时卡被取出，本次不计为密码错误。请重新插卡后再试。</translation>
    </message>
</context>
<context>
    <name>QuestionPage</name>
    <message>
        <source>Back to the services</source>
        <translation>返回业务选择</translation>
    </message>
</context>
<context>
    <name>ReaderPickerDialog</name>
    <message>
        <source>Choose the card reader</source>
        <translation>选择读卡器</translation>
    </message>
    <message>
        <source>Serve the card in this reader</source>
        <translation>为此读卡器中的卡办理</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>ReasonChooser</name>
    <message>
        <source>Choose a reason…</source>
        <translation>请选择理由…</translation>
    </message>
    <message>
        <source>Other reason (type it)</source>
        <translation>其他理由（手动填写）</translation>
    </message>
    <message>
        <source>Type the reason</source>
        <translation>请输入理由</translation>
    </message>
</context>
<context>
    <name>ReceiptWidget</name>
    <message>
        <source>rejected: {reason}</source>
        <translation>被退回：{reason}</translation>
    </message>
    <message>
        <source>waiting to be sent</source>
        <translation>等待发送</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>回执</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>服务事项</translation>
    </message>
    <message>
        <source>Local case no.</source>
        <translation>本地业务编号</translation>
    </message>
    <message>
        <source>Central case no.</source>
        <translation>中心业务编号</translation>
    </message>
    <message>
        <source>No case submitted yet.</source>
        <translation>尚未提交业务。</translation>
    </message>
    <message>
        <source>Case received: {service}
Local case number: {local}
Central case number: {central}</source>
        <translation>业务已受理：{service}
本地业务编号：{local}
中心业务编号：{central}</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <source>Print the records</source>
        <translation>打印缴费记录</translation>
    </message>
    <message>
        <source>Back to the services</source>
        <translation>返回业务选择</translation>
    </message>
</context>
<context>
    <name>SecurityMessages</name>
    <message>
        <source>The screen is locked. Enter your password to go on.</source>
        <translation>屏幕已锁定，请输入密码继续。</translation>
    </message>
    <message>
        <source>Finish the second sign-in step first.</source>
        <translation>请先完成第二步登录验证。</translation>
    </message>
    <message>
        <source>No second sign-in step is due.</source>
        <translation>当前无需第二步登录验证。</translation>
    </message>
    <message>
        <source>The second sign-in step is not possible now (no card or photo on file, or central cannot be reached). Ask a supervisor.</source>
        <translation>目前无法完成第二步登录验证（没有登记工作卡或照片，或连不上中心）。请联系主管。</translation>
    </message>
    <message>
        <source>This is not your staff card. Insert your own staff card.</source>
        <translation>这不是您的工作卡，请插入您本人的卡。</translation>
    </message>
    <message>
        <source>The face does not match your staff photo. Try again.</source>
        <translation>人脸与您的登记照片不符，请重试。</translation>
    </message>
    <message>
        <source>The face check is not available now. Try again later.</source>
        <translation>人脸核验暂时无法使用，请稍后再试。</translation>
    </message>
    <message>
        <source>The card PIN is blocked. Ask a supervisor.</source>
        <translation>卡密码已锁定，请联系主管。</translation>
    </message>
    <message>
        <source>There is no card in the reader. Insert your staff card.</source>
        <translation>读卡器中没有卡，请插入您的工作卡。</translation>
    </message>
    <message>
        <source>Central cannot be reached and your offline sign-in on this desk has expired.</source>
        <translation>连不上中心，且您在本窗口的离线登录已过期。</translation>
    </message>
    <message>
        <source>You made this case yourself, so you cannot approve it.</source>
        <translation>这是您本人经办的业务，不能由您审批。</translation>
    </message>
    <message>
        <source>This approval step needs another role than yours.</source>
        <translation>这一级审批需要其他岗位的人员办理。</translation>
    </message>
    <message>
        <source>You already decided another step of this case.</source>
        <translation>您已审批过这项业务的另一级，不能再审批。</translation>
    </message>
    <message>
        <source>Somebody else has already decided this step.</source>
        <translation>这一级已由他人审批。</translation>
    </message>
    <message>
        <source>An earlier step of this case must be decided first.</source>
        <translation>需先完成前一级审批。</translation>
    </message>
    <message>
        <source>This case is no longer waiting for approval.</source>
        <translation>这项业务已不在待审批状态。</translation>
    </message>
    <message>
        <source>Central does not know this case.</source>
        <translation>中心没有这项业务的记录。</translation>
    </message>
    <message>
        <source>This reason is not in the hall&apos;s list. Choose or type another.</source>
        <translation>这个理由不在本大厅的列表中，请重新选择或输入。</translation>
    </message>
    <message>
        <source>Give a reason.</source>
        <translation>请填写理由。</translation>
    </message>
    <message>
        <source>The co-signature was not made at this desk. Co-sign again.</source>
        <translation>该复核签字不是在本窗口完成的，请重新复核。</translation>
    </message>
    <message>
        <source>Wrong PIN. {tries} tries left.</source>
        <translation>密码错误，还可以再试 {tries} 次。</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>密码错误。</translation>
    </message>
    <message>
        <source>waiting for an earlier step</source>
        <translation>等待前一级审批</translation>
    </message>
    <message>
        <source>waiting for a decision</source>
        <translation>待审批</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>clerk</source>
        <translation>经办人</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>主管</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Account locked after failed sign-ins</source>
        <translation>多次登录失败，账号已锁定</translation>
    </message>
    <message>
        <source>Repeated failed sign-ins</source>
        <translation>多次登录失败</translation>
    </message>
    <message>
        <source>Far more citizen lookups than cases</source>
        <translation>查询群众信息次数远多于办件数</translation>
    </message>
    <message>
        <source>Approval outside opening hours</source>
        <translation>非办公时间审批</translation>
    </message>
    <message>
        <source>Audit chain broken</source>
        <translation>审计记录损坏</translation>
    </message>
    <message>
        <source>a record was deleted</source>
        <translation>有记录被删除</translation>
    </message>
    <message>
        <source>a record does not follow the one before it</source>
        <translation>有记录与前一条接不上</translation>
    </message>
    <message>
        <source>a record was changed</source>
        <translation>有记录被改动</translation>
    </message>
    <message>
        <source>a record names an unknown algorithm</source>
        <translation>有记录使用了未知算法</translation>
    </message>
    <message>
        <source>records at the end are missing</source>
        <translation>末尾的记录缺失</translation>
    </message>
    <message>
        <source>a record differs from the copy central holds</source>
        <translation>有记录与中心保存的不一致</translation>
    </message>
    <message>
        <source>the desk&apos;s audit key does not match the chain</source>
        <translation>本窗口的审计密钥与记录不符</translation>
    </message>
</context>
<context>
    <name>ServePage</name>
    <message>
        <source>Case saved on this desk with local number {local}.</source>
        <translation>业务已保存在本窗口，本地业务编号 {local}。</translation>
    </message>
    <message>
        <source>Serving a citizen</source>
        <translation>办理业务</translation>
    </message>
    <message>
        <source>Finish with this citizen</source>
        <translation>结束本次办理</translation>
    </message>
</context>
<context>
    <name>ServiceFormWidget</name>
    <message>
        <source>Fields marked * are required.</source>
        <translation>带 * 的字段为必填项。</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— 请选择 —</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>年-月-日（YYYY-MM-DD）</translation>
    </message>
</context>
<context>
    <name>ServicePanelWidget</name>
    <message>
        <source>Service</source>
        <translation>服务事项</translation>
    </message>
    <message>
        <source>Service:</source>
        <translation>服务事项：</translation>
    </message>
    <message>
        <source>Loading services…</source>
        <translation>正在加载服务事项…</translation>
    </message>
    <message>
        <source>— choose a service —</source>
        <translation>— 请选择服务事项 —</translation>
    </message>
    <message>
        <source>Submitting…</source>
        <translation>正在提交…</translation>
    </message>
    <message>
        <source>Submit case</source>
        <translation>提交业务</translation>
    </message>
    <message>
        <source>card PIN</source>
        <translation>社保卡密码</translation>
    </message>
    <message>
        <source>face check</source>
        <translation>人脸核验</translation>
    </message>
    <message>
        <source>This service needs: {checks}.</source>
        <translation>本服务事项需要：{checks}。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>This service needs no PIN or face check.</source>
        <translation>本服务事项无需密码或人脸核验。</translation>
    </message>
</context>
<context>
    <name>ServiceStagesWidget</name>
    <message>
        <source>Where each service waits longest</source>
        <translation>各业务最慢的环节</translation>
    </message>
    <message>
        <source>No figures yet.</source>
        <translation>尚无数据。</translation>
    </message>
    <message>
        <source>bottleneck</source>
        <translation>瓶颈</translation>
    </message>
    <message>
        <source>bottleneck, worst here</source>
        <translation>瓶颈，此业务最严重</translation>
    </message>
    <message>
        <source>No service has a finished stage in the period.</source>
        <translation>此期间没有业务办结任何环节。</translation>
    </message>
    <message>
        <source>{service} waits longest in {stage}: median {median}.</source>
        <translation>{service} 在 {stage} 等待最久：中位 {median}。</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理数</translation>
    </message>
    <message>
        <source>Slowest stage</source>
        <translation>最慢环节</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>中位用时</translation>
    </message>
    <message>
        <source>90%</source>
        <translation>90%</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Clerk sign-in</source>
        <translation>经办人登录</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>{name}, one more step: insert your own staff card into the reader and enter its PIN.</source>
        <translation>{name}，还需一步：请将本人工作卡插入读卡器，并输入卡密码。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核验…</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>{name}, one more step: look into the camera, then press the button.</source>
        <translation>{name}，还需一步：请正视摄像头，然后点击下方按钮。</translation>
    </message>
    <message>
        <source>Check my face</source>
        <translation>核验人脸</translation>
    </message>
    <message>
        <source>Card PIN</source>
        <translation>卡密码</translation>
    </message>
    <message>
        <source>Cancel and sign out</source>
        <translation>取消并退出登录</translation>
    </message>
    <message>
        <source>Training mode: sign in with a training account from your trainer.</source>
        <translation>培训模式：请使用培训老师提供的培训账号登录。</translation>
    </message>
</context>
<context>
    <name>StageChartWidget</name>
    <message>
        <source>Time in each stage</source>
        <translation>各环节用时</translation>
    </message>
    <message>
        <source>No figures yet.</source>
        <translation>尚无数据。</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>中位数</translation>
    </message>
    <message>
        <source>90th percentile</source>
        <translation>90% 分位</translation>
    </message>
    <message>
        <source>▶ {stage} (slowest)</source>
        <translation>▶ {stage}（最慢）</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>小时</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>No stage ended in the period.</source>
        <translation>此期间没有环节办结。</translation>
    </message>
    <message>
        <source>▶ Slowest: {stage} — median {median}, 90% within {p90}</source>
        <translation>▶ 最慢环节：{stage} — 中位 {median}，90% 在 {p90} 内</translation>
    </message>
    <message>
        <source>Slowest stage: {stage}, median {median}, 90% within {p90}, longest {max} ({count} cases).</source>
        <translation>最慢环节：{stage}，中位 {median}，90% 在 {p90} 内，最长 {max}（{count} 件）。</translation>
    </message>
    <message>
        <source>{stage} {median}</source>
        <translation>{stage} {median}</translation>
    </message>
    <message>
        <source>Other stages (median): {list}.</source>
        <translation>其他环节（中位）：{list}。</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
</context>
<context>
    <name>ThroughputChartWidget</name>
    <message>
        <source>Cases per hour</source>
        <translation>每小时业务量</translation>
    </message>
    <message>
        <source>Cases per day</source>
        <translation>每日业务量</translation>
    </message>
    <message>
        <source>No figures yet.</source>
        <translation>尚无数据。</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>受理</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>办结</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>退回</translation>
    </message>
    <message>
        <source>cases</source>
        <translation>件</translation>
    </message>
    <message>
        <source>In the period: {received} received, {completed} completed, {rejected} rejected.</source>
        <translation>此期间：受理 {received} 件，办结 {completed} 件，退回 {rejected} 件。</translation>
    </message>
    <message>
        <source>Busiest: {period}, {count} received.</source>
        <translation>最忙：{period}，受理 {count} 件。</translation>
    </message>
    <message>
        <source>{period}: {received} received, {completed} completed, {rejected} rejected</source>
        <translation>{period}：受理 {received} 件，办结 {completed} 件，退回 {rejected} 件</translation>
    </message>
</context>
<context>
    <name>TrainingBannerWidget</name>
    <message>
        <source>TRAINING</source>
        <translation>培训模式 / TRAINING</translation>
    </message>
    <message>
        <source>{mark} — practice only: cases go to the training sandbox, not to central.</source>
        <translation>{mark} — 仅供练习：业务只提交到培训沙箱，不会提交到中心系统。</translation>
    </message>
</context>
<context>
    <name>TrainingCardTrayWidget</name>
    <message>
        <source>Training cards:</source>
        <translation>培训卡片：</translation>
    </message>
    <message>
        <source>Sample card {number}: {name}</source>
        <translation>样例卡 {number}：{name}</translation>
    </message>
    <message>
        <source>Insert card</source>
        <translation>插入卡片</translation>
    </message>
    <message>
        <source>Take card out</source>
        <translation>取出卡片</translation>
    </message>
</context>
<context>
    <name>WithdrawDialog</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>备注（可选）</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>撤回</translation>
    </message>
    <message>
        <source>Withdraw case</source>
        <translation>撤回业务</translation>
    </message>
    <message>
        <source>Withdraw case {local_id}? It will not be sent to central. This cannot be undone.</source>
        <translation>撤回业务 {local_id}？它将不会发送到中心。此操作无法撤销。</translation>
    </message>
</context>
</TS>
