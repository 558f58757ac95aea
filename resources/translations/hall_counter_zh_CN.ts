<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
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
        <source>Card read.</source>
        <translation>读卡完成。</translation>
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
        <source>Hall Counter — social security service window</source>
        <translation>社保服务窗口 — Hall Counter</translation>
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
        <source>Cancel</source>
        <translation>取消</translation>
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
        <source>Compare with card photo</source>
        <translation>与卡片照片比对</translation>
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
        <source>Tell the citizen: the face check compares you with your card photo. The picture is not stored. You may decline.</source>
        <translation>请告知群众：人脸核验将您本人与卡片照片进行比对，照片不会保存。您可以拒绝。</translation>
    </message>
    <message>
        <source>No picture</source>
        <translation>无图像</translation>
    </message>
    <message>
        <source>No camera picture is available.</source>
        <translation>没有可用的摄像头图像。</translation>
    </message>
    <message>
        <source>Training sample photo</source>
        <translation>培训样例照片</translation>
    </message>
    <message>
        <source>Camera picture</source>
        <translation>摄像头图像</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>正在比对…</translation>
    </message>
    <message>
        <source>Could not be judged.</source>
        <translation>无法判定。</translation>
    </message>
    <message>
        <source>MATCH: the citizen matches the card photo.</source>
        <translation>匹配：群众与卡片照片一致。</translation>
    </message>
    <message>
        <source>NO MATCH: the citizen does not match the card photo. Check again or use the alternative.</source>
        <translation>不匹配：群众与卡片照片不一致。请重新核验或采用替代方式。</translation>
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
    <name>LanguageSwitchWidget</name>
    <message>
        <source>Interface language</source>
        <translation>界面语言</translation>
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
        <source>Checking the PIN with the card…</source>
        <translation>正在由卡片核验密码…</translation>
    </message>
    <message>
        <source>The PIN cannot be entered: it is blocked.</source>
        <translation>密码已锁定，不能输入。</translation>
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
        <source>Training mode: sign in with a training account from your trainer.</source>
        <translation>培训模式：请使用培训老师提供的培训账号登录。</translation>
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
</TS>
