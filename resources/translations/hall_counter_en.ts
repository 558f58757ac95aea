<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AdminPage</name>
    <message>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Exit the kiosk program</source>
        <translation>Exit the kiosk program</translation>
    </message>
    <message>
        <source>Close the kiosk (stop service)</source>
        <translation>Close the kiosk (stop service)</translation>
    </message>
    <message>
        <source>Back to service</source>
        <translation>Back to service</translation>
    </message>
    <message>
        <source>Signed in as {name}. Choose what to do.</source>
        <translation>Signed in as {name}. Choose what to do.</translation>
    </message>
</context>
<context>
    <name>AlertsView</name>
    <message>
        <source>{n} failed tries</source>
        <translation>{n} failed tries</translation>
    </message>
    <message>
        <source>{lookups} lookups, {cases} cases</source>
        <translation>{lookups} lookups, {cases} cases</translation>
    </message>
    <message>
        <source>first bad record {seq}</source>
        <translation>first bad record {seq}</translation>
    </message>
    <message>
        <source>case {case}</source>
        <translation>case {case}</translation>
    </message>
    <message>
        <source>this desk</source>
        <translation>this desk</translation>
    </message>
    <message>
        <source>a desk</source>
        <translation>a desk</translation>
    </message>
    <message>
        <source>central</source>
        <translation>central</translation>
    </message>
    <message>
        <source>New</source>
        <translation>New</translation>
    </message>
    <message>
        <source>Alerts of this hall, newest first. New ones are in bold.</source>
        <translation>Alerts of this hall, newest first. New ones are in bold.</translation>
    </message>
    <message>
        <source>There are no alerts in this hall.</source>
        <translation>There are no alerts in this hall.</translation>
    </message>
    <message>
        <source>Checking the audit chain…</source>
        <translation>Checking the audit chain…</translation>
    </message>
    <message>
        <source>The audit chain of this desk is intact: {records} records checked.</source>
        <translation>The audit chain of this desk is intact: {records} records checked.</translation>
    </message>
    <message>
        <source>The audit chain of this desk is BROKEN at record {seq}: {problem}. Tell IT security; do not change anything on this desk.</source>
        <translation>The audit chain of this desk is BROKEN at record {seq}: {problem}. Tell IT security; do not change anything on this desk.</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <source>When</source>
        <translation>When</translation>
    </message>
    <message>
        <source>Alert</source>
        <translation>Alert</translation>
    </message>
    <message>
        <source>Who or what</source>
        <translation>Who or what</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>Desk</translation>
    </message>
    <message>
        <source>Raised by</source>
        <translation>Raised by</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Check audit chain</source>
        <translation>Check audit chain</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ApprovalsView</name>
    <message>
        <source>Step {n} ({role}): {status}</source>
        <translation>Step {n} ({role}): {status}</translation>
    </message>
    <message>
        <source>at the clerk&apos;s desk</source>
        <translation>at the clerk&apos;s desk</translation>
    </message>
    <message>
        <source>in the inbox</source>
        <translation>in the inbox</translation>
    </message>
    <message>
        <source>{who}, {when}, {where}</source>
        <translation>{who}, {when}, {where}</translation>
    </message>
    <message>
        <source>reason: {reason}</source>
        <translation>reason: {reason}</translation>
    </message>
    <message>
        <source>You can decide</source>
        <translation>You can decide</translation>
    </message>
    <message>
        <source>New</source>
        <translation>New</translation>
    </message>
    <message>
        <source>{n} of {total} ({role})</source>
        <translation>{n} of {total} ({role})</translation>
    </message>
    <message>
        <source>{n}: {status} by {who}</source>
        <translation>{n}: {status} by {who}</translation>
    </message>
    <message>
        <source>{count} approvals waiting in this hall.</source>
        <translation>{count} approvals waiting in this hall.</translation>
    </message>
    <message>
        <source>No approvals are waiting in this hall.</source>
        <translation>No approvals are waiting in this hall.</translation>
    </message>
    <message>
        <source>Choose a case in the list to decide it.</source>
        <translation>Choose a case in the list to decide it.</translation>
    </message>
    <message>
        <source>Case {local} ({service}) by {clerk} at {desk}:
{history}</source>
        <translation>Case {local} ({service}) by {clerk} at {desk}:
{history}</translation>
    </message>
    <message>
        <source>Give a reason: choose one from the list or type it.</source>
        <translation>Give a reason: choose one from the list or type it.</translation>
    </message>
    <message>
        <source>Case {local}: step {n} approved.</source>
        <translation>Case {local}: step {n} approved.</translation>
    </message>
    <message>
        <source>Case {local}: step {n} rejected.</source>
        <translation>Case {local}: step {n} rejected.</translation>
    </message>
    <message>
        <source>Approval inbox</source>
        <translation>Approval inbox</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>Desk</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Step</translation>
    </message>
    <message>
        <source>Why approval is needed</source>
        <translation>Why approval is needed</translation>
    </message>
    <message>
        <source>Asked at</source>
        <translation>Asked at</translation>
    </message>
    <message>
        <source>Decided so far</source>
        <translation>Decided so far</translation>
    </message>
    <message>
        <source>Your part</source>
        <translation>Your part</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Approve</source>
        <translation>Approve</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>Reject</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ApprovalsWidget</name>
    <message>
        <source>Approvals waiting</source>
        <translation>Approvals waiting</translation>
    </message>
    <message>
        <source>Case</source>
        <translation>Case</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>Desk</translation>
    </message>
    <message>
        <source>Clerk</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Why</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>No figures yet.</source>
        <translation>No figures yet.</translation>
    </message>
    <message>
        <source>No approval is waiting.</source>
        <translation>No approval is waiting.</translation>
    </message>
    <message>
        <source>Waiting: {count}; the oldest for {oldest}, median {median}.</source>
        <translation>Waiting: {count}; the oldest for {oldest}, median {median}.</translation>
    </message>
</context>
<context>
    <name>BacklogWidget</name>
    <message>
        <source>Open cases now</source>
        <translation>Open cases now</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Stage</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>Oldest waiting</source>
        <translation>Oldest waiting</translation>
    </message>
    <message>
        <source>No figures yet.</source>
        <translation>No figures yet.</translation>
    </message>
    <message>
        <source>{total} cases open.</source>
        <translation>{total} cases open.</translation>
    </message>
    <message>
        <source>Most are waiting in {stage}: {open}, the oldest for {oldest}.</source>
        <translation>Most are waiting in {stage}: {open}, the oldest for {oldest}.</translation>
    </message>
</context>
<context>
    <name>CardPanelWidget</name>
    <message>
        <source>Social security card</source>
        <translation>Social security card</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>Card number</source>
        <translation>Card number</translation>
    </message>
    <message>
        <source>Card status</source>
        <translation>Card status</translation>
    </message>
    <message>
        <source>Ask the citizen to insert the social security card.</source>
        <translation>Ask the citizen to insert the social security card.</translation>
    </message>
    <message>
        <source>Reading the card…</source>
        <translation>Reading the card…</translation>
    </message>
    <message>
        <source>Checking the card with central…</source>
        <translation>Checking the card with central…</translation>
    </message>
    <message>
        <source>Checking the electronic social security card with central…</source>
        <translation>Checking the electronic social security card with central…</translation>
    </message>
    <message>
        <source>Card read.</source>
        <translation>Card read.</translation>
    </message>
    <message>
        <source>Electronic social security card verified by central.</source>
        <translation>Electronic social security card verified by central.</translation>
    </message>
    <message>
        <source>Card removed. The form is kept for {seconds} s for the same card to come back.</source>
        <translation>Card removed. The form is kept for {seconds} s for the same card to come back.</translation>
    </message>
    <message>
        <source>OFFLINE: central could not be reached. The identity is checked offline and the case will say so.</source>
        <translation>OFFLINE: central could not be reached. The identity is checked offline and the case will say so.</translation>
    </message>
    <message>
        <source>Warning: {text}</source>
        <translation>Warning: {text}</translation>
    </message>
    <message>
        <source>Name at central: {central} (card: {card})</source>
        <translation>Name at central: {central} (card: {card})</translation>
    </message>
    <message>
        <source>Birth date at central: {central} (card: {card})</source>
        <translation>Birth date at central: {central} (card: {card})</translation>
    </message>
    <message>
        <source>Check the resident ID card; a data correction case may be due.</source>
        <translation>Check the resident ID card; a data correction case may be due.</translation>
    </message>
</context>
<context>
    <name>ClerkWindow</name>
    <message>
        <source>The camera gave no picture. Check the camera and try again.</source>
        <translation>The camera gave no picture. Check the camera and try again.</translation>
    </message>
    <message>
        <source>Hall Counter — social security service window</source>
        <translation>Hall Counter — social security service window</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <source>Cases queued at this desk: send now, withdraw</source>
        <translation>Cases queued at this desk: send now, withdraw</translation>
    </message>
    <message>
        <source>Approvals</source>
        <translation>Approvals</translation>
    </message>
    <message>
        <source>Cases of the hall waiting for a supervisor</source>
        <translation>Cases of the hall waiting for a supervisor</translation>
    </message>
    <message>
        <source>Alerts</source>
        <translation>Alerts</translation>
    </message>
    <message>
        <source>Security alerts of the hall; check the audit chain</source>
        <translation>Security alerts of the hall; check the audit chain</translation>
    </message>
    <message>
        <source>Lock screen</source>
        <translation>Lock screen</translation>
    </message>
    <message>
        <source>Lock the screen while you step away</source>
        <translation>Lock the screen while you step away</translation>
    </message>
</context>
<context>
    <name>ClosedPage</name>
    <message>
        <source>Staff user name</source>
        <translation>Staff user name</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Open the kiosk</source>
        <translation>Open the kiosk</translation>
    </message>
    <message>
        <source>Staff: sign in with a clerk account to open this kiosk. Cases made here name that account. Training mode: use the training clerk account.</source>
        <translation>Staff: sign in with a clerk account to open this kiosk. Cases made here name that account. Training mode: use the training clerk account.</translation>
    </message>
    <message>
        <source>Staff: sign in with a clerk account to open this kiosk. Cases made here name that account.</source>
        <translation>Staff: sign in with a clerk account to open this kiosk. Cases made here name that account.</translation>
    </message>
</context>
<context>
    <name>CorrectDialog</name>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Correct case</source>
        <translation>Correct case</translation>
    </message>
    <message>
        <source>Correct the fields central refused and send case {local_id} again as a new version.</source>
        <translation>Correct the fields central refused and send case {local_id} again as a new version.</translation>
    </message>
    <message>
        <source>Send again</source>
        <translation>Send again</translation>
    </message>
</context>
<context>
    <name>CosignWidget</name>
    <message>
        <source>Enter the supervisor&apos;s user name, password and a reason.</source>
        <translation>Enter the supervisor&apos;s user name, password and a reason.</translation>
    </message>
    <message>
        <source>Supervisor co-signature</source>
        <translation>Supervisor co-signature</translation>
    </message>
    <message>
        <source>This case needs a supervisor&apos;s co-signature:
{reasons}</source>
        <translation>This case needs a supervisor&apos;s co-signature:
{reasons}</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Co-sign and submit</source>
        <translation>Co-sign and submit</translation>
    </message>
    <message>
        <source>Send to the hall&apos;s approval inbox</source>
        <translation>Send to the hall&apos;s approval inbox</translation>
    </message>
    <message>
        <source>No supervisor here: save the case without a co-signature; it waits at central until a supervisor approves it in the inbox.</source>
        <translation>No supervisor here: save the case without a co-signature; it waits at central until a supervisor approves it in the inbox.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Co-signed by {supervisor} at {time}. Reason: {reason}</source>
        <translation>Co-signed by {supervisor} at {time}. Reason: {reason}</translation>
    </message>
    <message>
        <source>Not co-signed here: the case waits in the hall&apos;s approval inbox for a supervisor.</source>
        <translation>Not co-signed here: the case waits in the hall&apos;s approval inbox for a supervisor.</translation>
    </message>
</context>
<context>
    <name>DashboardButtonWidget</name>
    <message>
        <source>Hall dashboard</source>
        <translation>Hall dashboard</translation>
    </message>
    <message>
        <source>Where cases wait, and why: stage times, backlog, desks</source>
        <translation>Where cases wait, and why: stage times, backlog, desks</translation>
    </message>
</context>
<context>
    <name>DashboardWindow</name>
    <message>
        <source>Supervisor approval</source>
        <translation>Supervisor approval</translation>
    </message>
    <message>
        <source>Intake at the hall</source>
        <translation>Intake at the hall</translation>
    </message>
    <message>
        <source>Employment service center</source>
        <translation>Employment service center</translation>
    </message>
    <message>
        <source>Social insurance agency</source>
        <translation>Social insurance agency</translation>
    </message>
    <message>
        <source>Finance bureau</source>
        <translation>Finance bureau</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} s</translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <source>{hours} h {minutes} min</source>
        <translation>{hours} h {minutes} min</translation>
    </message>
    <message>
        <source>{days} d {hours} h</source>
        <translation>{days} d {hours} h</translation>
    </message>
    <message>
        <source>too many unsent cases</source>
        <translation>too many unsent cases</translation>
    </message>
    <message>
        <source>unsent cases too old</source>
        <translation>unsent cases too old</translation>
    </message>
    <message>
        <source>reason not given</source>
        <translation>reason not given</translation>
    </message>
    <message>
        <source>FROZEN ({reason})</source>
        <translation>FROZEN ({reason})</translation>
    </message>
    <message>
        <source>OFFLINE (never seen)</source>
        <translation>OFFLINE (never seen)</translation>
    </message>
    <message>
        <source>OFFLINE (last seen {ago} ago)</source>
        <translation>OFFLINE (last seen {ago} ago)</translation>
    </message>
    <message>
        <source>OFFLINE</source>
        <translation>OFFLINE</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>; </source>
        <translation>; </translation>
    </message>
    <message>
        <source>Refreshing…</source>
        <translation>Refreshing…</translation>
    </message>
    <message>
        <source>Not refreshed: {reason}</source>
        <translation>Not refreshed: {reason}</translation>
    </message>
    <message>
        <source>Fetching the hall&apos;s figures…</source>
        <translation>Fetching the hall&apos;s figures…</translation>
    </message>
    <message>
        <source>No case finished a stage in this period.</source>
        <translation>No case finished a stage in this period.</translation>
    </message>
    <message>
        <source>Bottleneck: {stage}, median {median} per case (90% within {p90}, {count} cases).</source>
        <translation>Bottleneck: {stage}, median {median} per case (90% within {p90}, {count} cases).</translation>
    </message>
    <message>
        <source>Hardest hit: {service} (median {median} there).</source>
        <translation>Hardest hit: {service} (median {median} there).</translation>
    </message>
    <message>
        <source>Desks needing attention: {desks}.</source>
        <translation>Desks needing attention: {desks}.</translation>
    </message>
    <message>
        <source>{desk} — {state}</source>
        <translation>{desk} — {state}</translation>
    </message>
    <message>
        <source>Every desk is online and accepts cases.</source>
        <translation>Every desk is online and accepts cases.</translation>
    </message>
    <message>
        <source>Approvals waiting: {count}, the oldest for {oldest}.</source>
        <translation>Approvals waiting: {count}, the oldest for {oldest}.</translation>
    </message>
    <message>
        <source>No approval is waiting.</source>
        <translation>No approval is waiting.</translation>
    </message>
    <message>
        <source>{title}: {text}</source>
        <translation>{title}: {text}</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Summary</translation>
    </message>
    <message>
        <source>Updated {time} · {start} to {end}</source>
        <translation>Updated {time} · {start} to {end}</translation>
    </message>
    <message>
        <source>Export the dashboard</source>
        <translation>Export the dashboard</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <source>The file could not be written: {reason}</source>
        <translation>The file could not be written: {reason}</translation>
    </message>
    <message>
        <source>Exported {rows} rows to {path}</source>
        <translation>Exported {rows} rows to {path}</translation>
    </message>
    <message>
        <source>Hall dashboard</source>
        <translation>Hall dashboard</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>Period:</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>One day</source>
        <translation>One day</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>Day</translation>
    </message>
    <message>
        <source>Service:</source>
        <translation>Service:</translation>
    </message>
    <message>
        <source>All services</source>
        <translation>All services</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Department:</source>
        <translation>Department:</translation>
    </message>
    <message>
        <source>All departments</source>
        <translation>All departments</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Department</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Export CSV…</translation>
    </message>
</context>
<context>
    <name>DeskStatusBar</name>
    <message>
        <source>Network: checking…</source>
        <translation>Network: checking…</translation>
    </message>
    <message>
        <source>Network: online</source>
        <translation>Network: online</translation>
    </message>
    <message>
        <source>Network: OFFLINE — cases wait in the outbox</source>
        <translation>Network: OFFLINE — cases wait in the outbox</translation>
    </message>
    <message>
        <source>{state} {count}</source>
        <translation>{state} {count}</translation>
    </message>
    <message>
        <source>Outbox: {counts}</source>
        <translation>Outbox: {counts}</translation>
    </message>
</context>
<context>
    <name>DesksWidget</name>
    <message>
        <source>Desks</source>
        <translation>Desks</translation>
    </message>
    <message>
        <source>Desk</source>
        <translation>Desk</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>Last contact</translation>
    </message>
    <message>
        <source>Unsent</source>
        <translation>Unsent</translation>
    </message>
    <message>
        <source>Oldest unsent</source>
        <translation>Oldest unsent</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>No figures yet.</source>
        <translation>No figures yet.</translation>
    </message>
    <message>
        <source>{count} of {total} desks need attention: {desks}.</source>
        <translation>{count} of {total} desks need attention: {desks}.</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>All {total} desks are online and accept cases.</source>
        <translation>All {total} desks are online and accept cases.</translation>
    </message>
    <message>
        <source>{ago} ago</source>
        <translation>{ago} ago</translation>
    </message>
    <message>
        <source>never</source>
        <translation>never</translation>
    </message>
</context>
<context>
    <name>EcardInputWidget</name>
    <message>
        <source>Electronic social security card</source>
        <translation>Electronic social security card</translation>
    </message>
    <message>
        <source>Scan the citizen&apos;s e-card code with the scanner, or paste it here. The code is sent to central only.</source>
        <translation>Scan the citizen&apos;s e-card code with the scanner, or paste it here. The code is sent to central only.</translation>
    </message>
    <message>
        <source>Scan or paste the e-card code</source>
        <translation>Scan or paste the e-card code</translation>
    </message>
    <message>
        <source>E-card code</source>
        <translation>E-card code</translation>
    </message>
    <message>
        <source>Check e-card</source>
        <translation>Check e-card</translation>
    </message>
    <message>
        <source>Use this training e-card</source>
        <translation>Use this training e-card</translation>
    </message>
    <message>
        <source>Training citizens&apos; e-card codes</source>
        <translation>Training citizens&apos; e-card codes</translation>
    </message>
</context>
<context>
    <name>FacePage</name>
    <message>
        <source>Please look straight at the camera.</source>
        <translation>Please look straight at the camera.</translation>
    </message>
    <message>
        <source>Please come a little closer to the screen.</source>
        <translation>Please come a little closer to the screen.</translation>
    </message>
    <message>
        <source>It is too dark here. Please ask a staff member for help.</source>
        <translation>It is too dark here. Please ask a staff member for help.</translation>
    </message>
    <message>
        <source>There is too much light behind you.</source>
        <translation>There is too much light behind you.</translation>
    </message>
    <message>
        <source>Please hold still for a moment.</source>
        <translation>Please hold still for a moment.</translation>
    </message>
    <message>
        <source>Well done. Comparing with your card photo…</source>
        <translation>Well done. Comparing with your card photo…</translation>
    </message>
    <message>
        <source>Training: the sample photo stands in for the camera. Liveness is not checked.</source>
        <translation>Training: the sample photo stands in for the camera. Liveness is not checked.</translation>
    </message>
    <message>
        <source>The camera sees you as in a mirror.</source>
        <translation>The camera sees you as in a mirror.</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Camera</translation>
    </message>
    <message>
        <source>Stop the face check</source>
        <translation>Stop the face check</translation>
    </message>
</context>
<context>
    <name>FacePanelWidget</name>
    <message>
        <source>Face check</source>
        <translation>Face check</translation>
    </message>
    <message>
        <source>Citizen agrees</source>
        <translation>Citizen agrees</translation>
    </message>
    <message>
        <source>Citizen declines</source>
        <translation>Citizen declines</translation>
    </message>
    <message>
        <source>Try the face check again</source>
        <translation>Try the face check again</translation>
    </message>
    <message>
        <source>Tell the citizen: the face check confirms that you are the person on the card, by comparing your face with your photo on record. The camera picture is not stored. You may decline; then the ID card is checked instead.</source>
        <translation>Tell the citizen: the face check confirms that you are the person on the card, by comparing your face with your photo on record. The camera picture is not stored. You may decline; then the ID card is checked instead.</translation>
    </message>
    <message>
        <source>Use the alternative check</source>
        <translation>Use the alternative check</translation>
    </message>
    <message>
        <source>Waiting for the camera…</source>
        <translation>Waiting for the camera…</translation>
    </message>
    <message>
        <source>Getting the photo on record…</source>
        <translation>Getting the photo on record…</translation>
    </message>
    <message>
        <source>Opening the camera…</source>
        <translation>Opening the camera…</translation>
    </message>
    <message>
        <source>Training: the sample photo stands in for the camera. The live check (blink or turn the head) is not done in training.</source>
        <translation>Training: the sample photo stands in for the camera. The live check (blink or turn the head) is not done in training.</translation>
    </message>
    <message>
        <source>Ask the citizen to look at the camera and follow the instruction.</source>
        <translation>Ask the citizen to look at the camera and follow the instruction.</translation>
    </message>
    <message>
        <source>Please blink your eyes.</source>
        <translation>Please blink your eyes.</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your left.</source>
        <translation>Please turn your head slowly to your left.</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your right.</source>
        <translation>Please turn your head slowly to your right.</translation>
    </message>
    <message>
        <source>Please come a little closer.</source>
        <translation>Please come a little closer.</translation>
    </message>
    <message>
        <source>Please look straight at the camera.</source>
        <translation>Please look straight at the camera.</translation>
    </message>
    <message>
        <source>More light is needed on the face.</source>
        <translation>More light is needed on the face.</translation>
    </message>
    <message>
        <source>Too much light on the face.</source>
        <translation>Too much light on the face.</translation>
    </message>
    <message>
        <source>Please hold still.</source>
        <translation>Please hold still.</translation>
    </message>
    <message>
        <source>There is no photo on record for this citizen.</source>
        <translation>There is no photo on record for this citizen.</translation>
    </message>
    <message>
        <source>The photo on record cannot be read.</source>
        <translation>The photo on record cannot be read.</translation>
    </message>
    <message>
        <source>The photo on record is not good enough to compare.</source>
        <translation>The photo on record is not good enough to compare.</translation>
    </message>
    <message>
        <source>The central system cannot be reached, so the photo on record is not available.</source>
        <translation>The central system cannot be reached, so the photo on record is not available.</translation>
    </message>
    <message>
        <source>The central system could not send the photo on record.</source>
        <translation>The central system could not send the photo on record.</translation>
    </message>
    <message>
        <source>No camera is working. Check that it is plugged in.</source>
        <translation>No camera is working. Check that it is plugged in.</translation>
    </message>
    <message>
        <source>The camera stopped (unplugged?).</source>
        <translation>The camera stopped (unplugged?).</translation>
    </message>
    <message>
        <source>The face check software is not installed completely. Call IT support.</source>
        <translation>The face check software is not installed completely. Call IT support.</translation>
    </message>
    <message>
        <source>The face check is not available now.</source>
        <translation>The face check is not available now.</translation>
    </message>
    <message>
        <source>The live check failed: the face did not do what was asked.</source>
        <translation>The live check failed: the face did not do what was asked.</translation>
    </message>
    <message>
        <source>The live check ran out of time.</source>
        <translation>The live check ran out of time.</translation>
    </message>
    <message>
        <source>No camera picture was good enough to compare.</source>
        <translation>No camera picture was good enough to compare.</translation>
    </message>
    <message>
        <source>The face check could not decide.</source>
        <translation>The face check could not decide.</translation>
    </message>
    <message>
        <source>Live check: not checked (training sample photo).</source>
        <translation>Live check: not checked (training sample photo).</translation>
    </message>
    <message>
        <source>blink</source>
        <translation>blink</translation>
    </message>
    <message>
        <source>turn left</source>
        <translation>turn left</translation>
    </message>
    <message>
        <source>turn right</source>
        <translation>turn right</translation>
    </message>
    <message>
        <source>Live check: passed ({action}).</source>
        <translation>Live check: passed ({action}).</translation>
    </message>
    <message>
        <source>Live check: not passed ({action}).</source>
        <translation>Live check: not passed ({action}).</translation>
    </message>
    <message>
        <source>Alternative: check the citizen&apos;s resident ID card in person; a supervisor must co-sign the case.</source>
        <translation>Alternative: check the citizen&apos;s resident ID card in person; a supervisor must co-sign the case.</translation>
    </message>
    <message>
        <source>MATCH: the citizen matches the photo on record.</source>
        <translation>MATCH: the citizen matches the photo on record.</translation>
    </message>
    <message>
        <source>NO MATCH: the citizen does not match the photo on record.</source>
        <translation>NO MATCH: the citizen does not match the photo on record.</translation>
    </message>
    <message>
        <source>The face check starts once the card has been read.</source>
        <translation>The face check starts once the card has been read.</translation>
    </message>
    <message>
        <source>The citizen declined the face check. Alternative: check the citizen&apos;s resident ID card in person; a supervisor must co-sign the case.</source>
        <translation>The citizen declined the face check. Alternative: check the citizen&apos;s resident ID card in person; a supervisor must co-sign the case.</translation>
    </message>
    <message>
        <source>Distance {distance} (threshold {threshold}; a match is below it)</source>
        <translation>Distance {distance} (threshold {threshold}; a match is below it)</translation>
    </message>
</context>
<context>
    <name>FirstRunPage</name>
    <message>
        <source>Required.</source>
        <translation>Required.</translation>
    </message>
    <message>
        <source>Enter central&apos;s https:// address (plain http only for this computer).</source>
        <translation>Enter central&apos;s https:// address (plain http only for this computer).</translation>
    </message>
    <message>
        <source>Use 1–32 letters, digits, &apos;-&apos; or &apos;_&apos;.</source>
        <translation>Use 1–32 letters, digits, &apos;-&apos; or &apos;_&apos;.</translation>
    </message>
    <message>
        <source>No such file.</source>
        <translation>No such file.</translation>
    </message>
    <message>
        <source>Not accepted: {detail}</source>
        <translation>Not accepted: {detail}</translation>
    </message>
    <message>
        <source>The configuration was not accepted: {detail}</source>
        <translation>The configuration was not accepted: {detail}</translation>
    </message>
    <message>
        <source>The configuration could not be saved: {detail}</source>
        <translation>The configuration could not be saved: {detail}</translation>
    </message>
    <message>
        <source>Set up this desk</source>
        <translation>Set up this desk</translation>
    </message>
    <message>
        <source>This desk has no configuration yet. Enter the central system&apos;s address, the hall and this workstation as given by the hall&apos;s IT admin, or start training mode to practise with sample data.</source>
        <translation>This desk has no configuration yet. Enter the central system&apos;s address, the hall and this workstation as given by the hall&apos;s IT admin, or start training mode to practise with sample data.</translation>
    </message>
    <message>
        <source>Central address</source>
        <translation>Central address</translation>
    </message>
    <message>
        <source>Hall ID</source>
        <translation>Hall ID</translation>
    </message>
    <message>
        <source>Workstation ID</source>
        <translation>Workstation ID</translation>
    </message>
    <message>
        <source>Workstation secret</source>
        <translation>Workstation secret</translation>
    </message>
    <message>
        <source>CA certificate file (optional)</source>
        <translation>CA certificate file (optional)</translation>
    </message>
    <message>
        <source>The configuration is saved to {path}</source>
        <translation>The configuration is saved to {path}</translation>
    </message>
    <message>
        <source>Save and start</source>
        <translation>Save and start</translation>
    </message>
    <message>
        <source>Start training mode</source>
        <translation>Start training mode</translation>
    </message>
</context>
<context>
    <name>FirstRunWindow</name>
    <message>
        <source>Hall Counter — set up this desk</source>
        <translation>Hall Counter — set up this desk</translation>
    </message>
</context>
<context>
    <name>GuiController</name>
    <message>
        <source>The configuration file {path} is not valid: {detail}</source>
        <translation>The configuration file {path} is not valid: {detail}</translation>
    </message>
    <message>
        <source>The kiosk options file {path} is not valid: {detail}</source>
        <translation>The kiosk options file {path} is not valid: {detail}</translation>
    </message>
    <message>
        <source>Hall Counter</source>
        <translation>Hall Counter</translation>
    </message>
</context>
<context>
    <name>HeaderWidget</name>
    <message>
        <source>Social security service window</source>
        <translation>Social security service window</translation>
    </message>
    <message>
        <source>Hall and window: {place}</source>
        <translation>Hall and window: {place}</translation>
    </message>
    <message>
        <source>Clerk: {name}</source>
        <translation>Clerk: {name}</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
</context>
<context>
    <name>KioskDocuments</name>
    <message>
        <source>Basic pension insurance for urban employees</source>
        <translation>Basic pension insurance for urban employees</translation>
    </message>
    <message>
        <source>Basic medical insurance for urban employees</source>
        <translation>Basic medical insurance for urban employees</translation>
    </message>
    <message>
        <source>Unemployment insurance</source>
        <translation>Unemployment insurance</translation>
    </message>
    <message>
        <source>insured, contributing</source>
        <translation>insured, contributing</translation>
    </message>
    <message>
        <source>receiving benefits (retired)</source>
        <translation>receiving benefits (retired)</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>ended</translation>
    </message>
    <message>
        <source>not insured</source>
        <translation>not insured</translation>
    </message>
    <message>
        <source>male</source>
        <translation>male</translation>
    </message>
    <message>
        <source>female</source>
        <translation>female</translation>
    </message>
    <message>
        <source>Issued by {hall} on {date}. Scan the code to check this document.</source>
        <translation>Issued by {hall} on {date}. Scan the code to check this document.</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>Months</source>
        <translation>Months</translation>
    </message>
    <message>
        <source>Monthly base (CNY)</source>
        <translation>Monthly base (CNY)</translation>
    </message>
    <message>
        <source>Personal (CNY)</source>
        <translation>Personal (CNY)</translation>
    </message>
    <message>
        <source>Employer (CNY)</source>
        <translation>Employer (CNY)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>ID number</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>{status}; since {since}; {months} months</source>
        <translation>{status}; since {since}; {months} months</translation>
    </message>
    <message>
        <source>Social insurance certificate</source>
        <translation>Social insurance certificate</translation>
    </message>
    <message>
        <source>Certificate number</source>
        <translation>Certificate number</translation>
    </message>
    <message>
        <source>Verification code {code}</source>
        <translation>Verification code {code}</translation>
    </message>
    <message>
        <source>This certifies the holder&apos;s social insurance as recorded on the date of issue.</source>
        <translation>This certifies the holder&apos;s social insurance as recorded on the date of issue.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Insured since</source>
        <translation>Insured since</translation>
    </message>
    <message>
        <source>Months paid in total</source>
        <translation>Months paid in total</translation>
    </message>
    <message>
        <source>As of</source>
        <translation>As of</translation>
    </message>
    <message>
        <source>Pension contribution statement</source>
        <translation>Pension contribution statement</translation>
    </message>
    <message>
        <source>Statement number</source>
        <translation>Statement number</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <source>Case number</source>
        <translation>Case number</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Applicant</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>Hall and kiosk</source>
        <translation>Hall and kiosk</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Show this code at a service window to ask about your case.</source>
        <translation>Show this code at a service window to ask about your case.</translation>
    </message>
    <message>
        <source>Your application has been received and is on its way to the department. Keep this receipt.</source>
        <translation>Your application has been received and is on its way to the department. Keep this receipt.</translation>
    </message>
    <message>
        <source>Earlier years: ask at a service window.</source>
        <translation>Earlier years: ask at a service window.</translation>
    </message>
</context>
<context>
    <name>KioskPrompts</name>
    <message>
        <source>Please blink slowly, twice.</source>
        <translation>Please blink slowly, twice.</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your left, then back.</source>
        <translation>Please turn your head slowly to your left, then back.</translation>
    </message>
    <message>
        <source>Please turn your head slowly to your right, then back.</source>
        <translation>Please turn your head slowly to your right, then back.</translation>
    </message>
    <message>
        <source>Please look at the camera and keep still.</source>
        <translation>Please look at the camera and keep still.</translation>
    </message>
    <message>
        <source>Look at the camera</source>
        <translation>Look at the camera</translation>
    </message>
    <message>
        <source>Please look at the camera.</source>
        <translation>Please look at the camera.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starting…</translation>
    </message>
    <message>
        <source>The kiosk is getting ready. Please wait a moment.</source>
        <translation>The kiosk is getting ready. Please wait a moment.</translation>
    </message>
    <message>
        <source>Not in service</source>
        <translation>Not in service</translation>
    </message>
    <message>
        <source>This self-service kiosk is closed. Please go to a service window.</source>
        <translation>This self-service kiosk is closed. Please go to a service window.</translation>
    </message>
    <message>
        <source>Please insert your social security card</source>
        <translation>Please insert your social security card</translation>
    </message>
    <message>
        <source>Put the card into the reader below the screen, chip first and facing up.</source>
        <translation>Put the card into the reader below the screen, chip first and facing up.</translation>
    </message>
    <message>
        <source>Welcome. Please insert your social security card into the reader.</source>
        <translation>Welcome. Please insert your social security card into the reader.</translation>
    </message>
    <message>
        <source>The card reader is not working</source>
        <translation>The card reader is not working</translation>
    </message>
    <message>
        <source>This kiosk cannot read cards right now. Please ask a staff member for help.</source>
        <translation>This kiosk cannot read cards right now. Please ask a staff member for help.</translation>
    </message>
    <message>
        <source>The card reader is not working. Please ask a staff member for help.</source>
        <translation>The card reader is not working. Please ask a staff member for help.</translation>
    </message>
    <message>
        <source>Reading your card…</source>
        <translation>Reading your card…</translation>
    </message>
    <message>
        <source>Please leave the card in the reader.</source>
        <translation>Please leave the card in the reader.</translation>
    </message>
    <message>
        <source>Reading your card. Please wait, and leave the card in the reader.</source>
        <translation>Reading your card. Please wait, and leave the card in the reader.</translation>
    </message>
    <message>
        <source>Please enter your card PIN</source>
        <translation>Please enter your card PIN</translation>
    </message>
    <message>
        <source>Tries left: {tries}. The digits show as dots. Press Confirm when done.</source>
        <translation>Tries left: {tries}. The digits show as dots. Press Confirm when done.</translation>
    </message>
    <message>
        <source>Please enter your card PIN on the keypad, then press Confirm.</source>
        <translation>Please enter your card PIN on the keypad, then press Confirm.</translation>
    </message>
    <message>
        <source>The digits show as dots. Press Confirm when done.</source>
        <translation>The digits show as dots. Press Confirm when done.</translation>
    </message>
    <message>
        <source>The PIN is not correct</source>
        <translation>The PIN is not correct</translation>
    </message>
    <message>
        <source>Tries left: {tries}. Please enter it again carefully.</source>
        <translation>Tries left: {tries}. Please enter it again carefully.</translation>
    </message>
    <message>
        <source>The PIN is not correct. Please enter it again carefully.</source>
        <translation>The PIN is not correct. Please enter it again carefully.</translation>
    </message>
    <message>
        <source>Checking your PIN…</source>
        <translation>Checking your PIN…</translation>
    </message>
    <message>
        <source>Your card PIN is blocked</source>
        <translation>Your card PIN is blocked</translation>
    </message>
    <message>
        <source>For your safety the card does not accept more tries. A staff member at a service window can help you reset the PIN.</source>
        <translation>For your safety the card does not accept more tries. A staff member at a service window can help you reset the PIN.</translation>
    </message>
    <message>
        <source>Your card PIN is blocked. Please ask a staff member at a service window for help.</source>
        <translation>Your card PIN is blocked. Please ask a staff member at a service window for help.</translation>
    </message>
    <message>
        <source>Face check</source>
        <translation>Face check</translation>
    </message>
    <message>
        <source>To make sure the card is yours, the kiosk compares your face with your card photo. The picture is not kept. You may say no; some services then need a service window.</source>
        <translation>To make sure the card is yours, the kiosk compares your face with your card photo. The picture is not kept. You may say no; some services then need a service window.</translation>
    </message>
    <message>
        <source>To make sure the card is yours, the kiosk compares your face with your card photo. The picture is not kept. Do you agree?</source>
        <translation>To make sure the card is yours, the kiosk compares your face with your card photo. The picture is not kept. Do you agree?</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Comparing your face with your card photo. Please wait.</source>
        <translation>Comparing your face with your card photo. Please wait.</translation>
    </message>
    <message>
        <source>Checking. Please wait.</source>
        <translation>Checking. Please wait.</translation>
    </message>
    <message>
        <source>Let us try once more</source>
        <translation>Let us try once more</translation>
    </message>
    <message>
        <source>Please enter your PIN on the card reader</source>
        <translation>Please enter your PIN on the card reader</translation>
    </message>
    <message>
        <source>Tries left: {tries}. Use the keypad of the card reader, then press its OK key.</source>
        <translation>Tries left: {tries}. Use the keypad of the card reader, then press its OK key.</translation>
    </message>
    <message>
        <source>Please enter your card PIN on the keypad of the card reader, then press its OK key.</source>
        <translation>Please enter your card PIN on the keypad of the card reader, then press its OK key.</translation>
    </message>
    <message>
        <source>Use the keypad of the card reader, then press its OK key.</source>
        <translation>Use the keypad of the card reader, then press its OK key.</translation>
    </message>
    <message>
        <source>Tries left: {tries}. Please enter it again carefully on the card reader.</source>
        <translation>Tries left: {tries}. Please enter it again carefully on the card reader.</translation>
    </message>
    <message>
        <source>The PIN is not correct. Please enter it again carefully on the card reader.</source>
        <translation>The PIN is not correct. Please enter it again carefully on the card reader.</translation>
    </message>
    <message>
        <source>The time for the PIN has run out</source>
        <translation>The time for the PIN has run out</translation>
    </message>
    <message>
        <source>The card reader stopped waiting for the PIN. Touch Try again to enter it again.</source>
        <translation>The card reader stopped waiting for the PIN. Touch Try again to enter it again.</translation>
    </message>
    <message>
        <source>The time for the PIN has run out. Touch Try again to enter it again.</source>
        <translation>The time for the PIN has run out. Touch Try again to enter it again.</translation>
    </message>
    <message>
        <source>The PIN entry was cancelled</source>
        <translation>The PIN entry was cancelled</translation>
    </message>
    <message>
        <source>It was cancelled on the card reader. Touch Try again, or cancel and take the card.</source>
        <translation>It was cancelled on the card reader. Touch Try again, or cancel and take the card.</translation>
    </message>
    <message>
        <source>The PIN entry was cancelled. Touch Try again, or take your card.</source>
        <translation>The PIN entry was cancelled. Touch Try again, or take your card.</translation>
    </message>
    <message>
        <source>The PIN is too short or too long</source>
        <translation>The PIN is too short or too long</translation>
    </message>
    <message>
        <source>Enter the whole card PIN on the card reader. Touch Try again to start again.</source>
        <translation>Enter the whole card PIN on the card reader. Touch Try again to start again.</translation>
    </message>
    <message>
        <source>The PIN is too short or too long. Touch Try again to start again.</source>
        <translation>The PIN is too short or too long. Touch Try again to start again.</translation>
    </message>
    <message>
        <source>The camera could not see the movement asked for.</source>
        <translation>The camera could not see the movement asked for.</translation>
    </message>
    <message>
        <source>The camera could not see the movement. Let us try once more.</source>
        <translation>The camera could not see the movement. Let us try once more.</translation>
    </message>
    <message>
        <source>The face check did not recognise you. Please look straight at the camera.</source>
        <translation>The face check did not recognise you. Please look straight at the camera.</translation>
    </message>
    <message>
        <source>Let us try once more. Please look straight at the camera.</source>
        <translation>Let us try once more. Please look straight at the camera.</translation>
    </message>
    <message>
        <source>Please choose a service</source>
        <translation>Please choose a service</translation>
    </message>
    <message>
        <source>Hello, {name}. Touch one of the large buttons.</source>
        <translation>Hello, {name}. Touch one of the large buttons.</translation>
    </message>
    <message>
        <source>Please choose a service.</source>
        <translation>Please choose a service.</translation>
    </message>
    <message>
        <source>Looking up your records…</source>
        <translation>Looking up your records…</translation>
    </message>
    <message>
        <source>Please wait a moment.</source>
        <translation>Please wait a moment.</translation>
    </message>
    <message>
        <source>Looking up your records. Please wait.</source>
        <translation>Looking up your records. Please wait.</translation>
    </message>
    <message>
        <source>Your pension contribution records</source>
        <translation>Your pension contribution records</translation>
    </message>
    <message>
        <source>{status} Insured since {since}; {months} months paid in total.</source>
        <translation>{status} Insured since {since}; {months} months paid in total.</translation>
    </message>
    <message>
        <source>Here are your pension contribution records. You can print them.</source>
        <translation>Here are your pension contribution records. You can print them.</translation>
    </message>
    <message>
        <source>Touch one answer.</source>
        <translation>Touch one answer.</translation>
    </message>
    <message>
        <source>Please choose one answer.</source>
        <translation>Please choose one answer.</translation>
    </message>
    <message>
        <source>Sending your application…</source>
        <translation>Sending your application…</translation>
    </message>
    <message>
        <source>Please wait a moment and leave the card in the reader.</source>
        <translation>Please wait a moment and leave the card in the reader.</translation>
    </message>
    <message>
        <source>Please wait.</source>
        <translation>Please wait.</translation>
    </message>
    <message>
        <source>Preparing your document…</source>
        <translation>Preparing your document…</translation>
    </message>
    <message>
        <source>Printing…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <source>Your printout comes out of the slot below the screen.</source>
        <translation>Your printout comes out of the slot below the screen.</translation>
    </message>
    <message>
        <source>Printing. Please wait.</source>
        <translation>Printing. Please wait.</translation>
    </message>
    <message>
        <source>Done: your application has been received</source>
        <translation>Done: your application has been received</translation>
    </message>
    <message>
        <source>Case number {local}. {printed}</source>
        <translation>Case number {local}. {printed}</translation>
    </message>
    <message>
        <source>Your application has been received.</source>
        <translation>Your application has been received.</translation>
    </message>
    <message>
        <source>Your document is ready</source>
        <translation>Your document is ready</translation>
    </message>
    <message>
        <source>Document number {number}. {printed}</source>
        <translation>Document number {number}. {printed}</translation>
    </message>
    <message>
        <source>Your document is ready.</source>
        <translation>Your document is ready.</translation>
    </message>
    <message>
        <source>Please take your printout</source>
        <translation>Please take your printout</translation>
    </message>
    <message>
        <source>It is in the slot below the screen.</source>
        <translation>It is in the slot below the screen.</translation>
    </message>
    <message>
        <source>Please take your printout from the slot below the screen.</source>
        <translation>Please take your printout from the slot below the screen.</translation>
    </message>
    <message>
        <source>This kiosk cannot print right now</source>
        <translation>This kiosk cannot print right now</translation>
    </message>
    <message>
        <source>Please ask a staff member at a service window; they can print it for you.</source>
        <translation>Please ask a staff member at a service window; they can print it for you.</translation>
    </message>
    <message>
        <source>This kiosk cannot print right now. Please ask a staff member for help.</source>
        <translation>This kiosk cannot print right now. Please ask a staff member for help.</translation>
    </message>
    <message>
        <source>Please go to a service window</source>
        <translation>Please go to a service window</translation>
    </message>
    <message>
        <source>This cannot be done at the kiosk. Please go to a service window.</source>
        <translation>This cannot be done at the kiosk. Please go to a service window.</translation>
    </message>
    <message>
        <source>That did not work</source>
        <translation>That did not work</translation>
    </message>
    <message>
        <source>That did not work. Please ask a staff member for help.</source>
        <translation>That did not work. Please ask a staff member for help.</translation>
    </message>
    <message>
        <source>Please take your card</source>
        <translation>Please take your card</translation>
    </message>
    <message>
        <source>Take the social security card out of the reader. Thank you.</source>
        <translation>Take the social security card out of the reader. Thank you.</translation>
    </message>
    <message>
        <source>Please remember to take your social security card.</source>
        <translation>Please remember to take your social security card.</translation>
    </message>
    <message>
        <source>Thank you</source>
        <translation>Thank you</translation>
    </message>
    <message>
        <source>Goodbye.</source>
        <translation>Goodbye.</translation>
    </message>
    <message>
        <source>Thank you. Goodbye.</source>
        <translation>Thank you. Goodbye.</translation>
    </message>
    <message>
        <source>Your card was taken out</source>
        <translation>Your card was taken out</translation>
    </message>
    <message>
        <source>Everything shown has been cleared.</source>
        <translation>Everything shown has been cleared.</translation>
    </message>
    <message>
        <source>Your card was taken out. Everything shown has been cleared.</source>
        <translation>Your card was taken out. Everything shown has been cleared.</translation>
    </message>
    <message>
        <source>Are you still there?</source>
        <translation>Are you still there?</translation>
    </message>
    <message>
        <source>Touch the button to continue. Otherwise the screen is cleared in {seconds} s.</source>
        <translation>Touch the button to continue. Otherwise the screen is cleared in {seconds} s.</translation>
    </message>
    <message>
        <source>Are you still there? Please touch the screen to continue.</source>
        <translation>Are you still there? Please touch the screen to continue.</translation>
    </message>
    <message>
        <source>A staff member is on the way</source>
        <translation>A staff member is on the way</translation>
    </message>
    <message>
        <source>Please wait here.</source>
        <translation>Please wait here.</translation>
    </message>
    <message>
        <source>A staff member has been called. Please wait here.</source>
        <translation>A staff member has been called. Please wait here.</translation>
    </message>
    <message>
        <source>Please raise your hand</source>
        <translation>Please raise your hand</translation>
    </message>
    <message>
        <source>The call did not get through. Please wave to a staff member or go to a window.</source>
        <translation>The call did not get through. Please wave to a staff member or go to a window.</translation>
    </message>
    <message>
        <source>The call did not get through. Please wave to a staff member.</source>
        <translation>The call did not get through. Please wave to a staff member.</translation>
    </message>
    <message>
        <source>Staff: administration</source>
        <translation>Staff: administration</translation>
    </message>
    <message>
        <source>Sign in with an administrator account.</source>
        <translation>Sign in with an administrator account.</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <source>This account cannot open the kiosk: a clerk account is needed.</source>
        <translation>This account cannot open the kiosk: a clerk account is needed.</translation>
    </message>
    <message>
        <source>The kiosk cannot reach the social security system right now.</source>
        <translation>The kiosk cannot reach the social security system right now.</translation>
    </message>
    <message>
        <source>Needs the card PIN.</source>
        <translation>Needs the card PIN.</translation>
    </message>
    <message>
        <source>Needs the face check: please go to a service window.</source>
        <translation>Needs the face check: please go to a service window.</translation>
    </message>
    <message>
        <source>Not available right now: please go to a service window.</source>
        <translation>Not available right now: please go to a service window.</translation>
    </message>
    <message>
        <source>You are insured and contributing.</source>
        <translation>You are insured and contributing.</translation>
    </message>
    <message>
        <source>You receive your pension.</source>
        <translation>You receive your pension.</translation>
    </message>
    <message>
        <source>No contributions are on record.</source>
        <translation>No contributions are on record.</translation>
    </message>
    <message>
        <source>This kiosk cannot print right now; a service window can print it for you.</source>
        <translation>This kiosk cannot print right now; a service window can print it for you.</translation>
    </message>
    <message>
        <source>Please take your printout from the slot below the screen.</source>
        <translation>Please take your printout from the slot below the screen.</translation>
    </message>
    <message>
        <source>This needs a staff member&apos;s check. A service window can help you.</source>
        <translation>This needs a staff member&apos;s check. A service window can help you.</translation>
    </message>
    <message>
        <source>The kiosk&apos;s sign-in has expired. Staff: open it again.</source>
        <translation>The kiosk&apos;s sign-in has expired. Staff: open it again.</translation>
    </message>
    <message>
        <source>The social security system has no record of this card.</source>
        <translation>The social security system has no record of this card.</translation>
    </message>
    <message>
        <source>A different card is in the reader.</source>
        <translation>A different card is in the reader.</translation>
    </message>
    <message>
        <source>The card cannot be read. It may be damaged.</source>
        <translation>The card cannot be read. It may be damaged.</translation>
    </message>
    <message>
        <source>The kiosk could not finish this.</source>
        <translation>The kiosk could not finish this.</translation>
    </message>
    <message>
        <source>This account is not an administrator&apos;s.</source>
        <translation>This account is not an administrator&apos;s.</translation>
    </message>
    <message>
        <source>Social security self-service</source>
        <translation>Social security self-service</translation>
    </message>
    <message>
        <source>Sample cards</source>
        <translation>Sample cards</translation>
    </message>
    <message>
        <source>Call staff</source>
        <translation>Call staff</translation>
    </message>
    <message>
        <source>Hall Counter — self-service kiosk</source>
        <translation>Hall Counter — self-service kiosk</translation>
    </message>
    <message>
        <source>Check my contribution records</source>
        <translation>Check my contribution records</translation>
    </message>
    <message>
        <source>Print my insurance certificate</source>
        <translation>Print my insurance certificate</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>No</source>
        <translation>No</translation>
    </message>
    <message>
        <source>Yes, I agree</source>
        <translation>Yes, I agree</translation>
    </message>
    <message>
        <source>No, skip the face check</source>
        <translation>No, skip the face check</translation>
    </message>
    <message>
        <source>Another service</source>
        <translation>Another service</translation>
    </message>
    <message>
        <source>Finish and take the card</source>
        <translation>Finish and take the card</translation>
    </message>
    <message>
        <source>I am still here</source>
        <translation>I am still here</translation>
    </message>
</context>
<context>
    <name>LanguageSwitchWidget</name>
    <message>
        <source>Interface language</source>
        <translation>Interface language</translation>
    </message>
</context>
<context>
    <name>LockScreenWidget</name>
    <message>
        <source>Screen locked</source>
        <translation>Screen locked</translation>
    </message>
    <message>
        <source>The desk was not used for a while, so the screen locked.</source>
        <translation>The desk was not used for a while, so the screen locked.</translation>
    </message>
    <message>
        <source>The screen is locked.</source>
        <translation>The screen is locked.</translation>
    </message>
    <message>
        <source>Signed in: {name}. Enter your password to go on.</source>
        <translation>Signed in: {name}. Enter your password to go on.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>Sign out instead</source>
        <translation>Sign out instead</translation>
    </message>
</context>
<context>
    <name>MenuPage</name>
    <message>
        <source>Finish and take the card</source>
        <translation>Finish and take the card</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <source>No card reader found. Check that the reader is plugged in.</source>
        <translation>No card reader found. Check that the reader is plugged in.</translation>
    </message>
    <message>
        <source>The smart card service is not running. Restart the computer or call IT support.</source>
        <translation>The smart card service is not running. Restart the computer or call IT support.</translation>
    </message>
    <message>
        <source>There is no card in the reader. Ask the citizen to insert the card.</source>
        <translation>There is no card in the reader. Ask the citizen to insert the card.</translation>
    </message>
    <message>
        <source>The card was taken out of the reader. Ask the citizen to insert it again.</source>
        <translation>The card was taken out of the reader. Ask the citizen to insert it again.</translation>
    </message>
    <message>
        <source>A different card is now in the reader. Serve the citizen again from the start.</source>
        <translation>A different card is now in the reader. Serve the citizen again from the start.</translation>
    </message>
    <message>
        <source>This card is not a social security card.</source>
        <translation>This card is not a social security card.</translation>
    </message>
    <message>
        <source>The card&apos;s data cannot be read. The card may be damaged; offer a new card.</source>
        <translation>The card&apos;s data cannot be read. The card may be damaged; offer a new card.</translation>
    </message>
    <message>
        <source>The card&apos;s PIN is blocked. Use the PIN reset service.</source>
        <translation>The card&apos;s PIN is blocked. Use the PIN reset service.</translation>
    </message>
    <message>
        <source>The card&apos;s social security application is locked. Offer a new card.</source>
        <translation>The card&apos;s social security application is locked. Offer a new card.</translation>
    </message>
    <message>
        <source>The card does not answer. Ask the citizen to insert it again.</source>
        <translation>The card does not answer. Ask the citizen to insert it again.</translation>
    </message>
    <message>
        <source>The card could not be authenticated. Offer a new card.</source>
        <translation>The card could not be authenticated. Offer a new card.</translation>
    </message>
    <message>
        <source>Another program is using the card. Close it and insert the card again.</source>
        <translation>Another program is using the card. Close it and insert the card again.</translation>
    </message>
    <message>
        <source>More than one card is in the readers. Leave only the citizen&apos;s card.</source>
        <translation>More than one card is in the readers. Leave only the citizen&apos;s card.</translation>
    </message>
    <message>
        <source>The card reader reported an error. Unplug it and plug it in again.</source>
        <translation>The card reader reported an error. Unplug it and plug it in again.</translation>
    </message>
    <message>
        <source>The card answered in an unexpected way. Ask the citizen to insert it again.</source>
        <translation>The card answered in an unexpected way. Ask the citizen to insert it again.</translation>
    </message>
    <message>
        <source>No card has been read yet. Ask the citizen to insert the card.</source>
        <translation>No card has been read yet. Ask the citizen to insert the card.</translation>
    </message>
    <message>
        <source>The PIN must be 4 to 12 digits.</source>
        <translation>The PIN must be 4 to 12 digits.</translation>
    </message>
    <message>
        <source>This third-generation card needs the card key service, which is not set up here.</source>
        <translation>This third-generation card needs the card key service, which is not set up here.</translation>
    </message>
    <message>
        <source>The card service has stopped. Restart the application.</source>
        <translation>The card service has stopped. Restart the application.</translation>
    </message>
    <message>
        <source>Internal error in the card software. The details are in the log.</source>
        <translation>Internal error in the card software. The details are in the log.</translation>
    </message>
    <message>
        <source>A card reader is plugged in but has no driver. Install the driver, then plug the reader in again.</source>
        <translation>A card reader is plugged in but has no driver. Install the driver, then plug the reader in again.</translation>
    </message>
    <message>
        <source>The smart card library cannot be loaded. Reinstall the application.</source>
        <translation>The smart card library cannot be loaded. Reinstall the application.</translation>
    </message>
    <message>
        <source>The chosen reader holds no social security card.</source>
        <translation>The chosen reader holds no social security card.</translation>
    </message>
    <message>
        <source>No PIN was entered in time. Please try again.</source>
        <translation>No PIN was entered in time. Please try again.</translation>
    </message>
    <message>
        <source>PIN entry was cancelled on the reader&apos;s keypad.</source>
        <translation>PIN entry was cancelled on the reader&apos;s keypad.</translation>
    </message>
    <message>
        <source>The PIN has the wrong number of digits. Enter 6 digits.</source>
        <translation>The PIN has the wrong number of digits. Enter 6 digits.</translation>
    </message>
    <message>
        <source>The reader&apos;s keypad reported an error. Try again or use the on-screen keypad.</source>
        <translation>The reader&apos;s keypad reported an error. Try again or use the on-screen keypad.</translation>
    </message>
    <message>
        <source>This reader takes the PIN only on its own keypad.</source>
        <translation>This reader takes the PIN only on its own keypad.</translation>
    </message>
    <message>
        <source>This reader has no PIN keypad; use the on-screen keypad.</source>
        <translation>This reader has no PIN keypad; use the on-screen keypad.</translation>
    </message>
    <message>
        <source>The card reader&apos;s interface library (SSCardDriver) cannot be loaded. Check the setting or reinstall it.</source>
        <translation>The card reader&apos;s interface library (SSCardDriver) cannot be loaded. Check the setting or reinstall it.</translation>
    </message>
    <message>
        <source>The card reader&apos;s interface library reported an error.</source>
        <translation>The card reader&apos;s interface library reported an error.</translation>
    </message>
    <message>
        <source>The smart card service and reader work.</source>
        <translation>The smart card service and reader work.</translation>
    </message>
    <message>
        <source>The smart card service reported an error. Restart it, or call IT support.</source>
        <translation>The smart card service reported an error. Restart it, or call IT support.</translation>
    </message>
    <message>
        <source>The card in {reader} is not a social security card; it is ignored.</source>
        <translation>The card in {reader} is not a social security card; it is ignored.</translation>
    </message>
    <message>
        <source>The card in the reader was exchanged. Start again with this card.</source>
        <translation>The card in the reader was exchanged. Start again with this card.</translation>
    </message>
    <message>
        <source>Social security cards are in several readers. Choose the one to serve.</source>
        <translation>Social security cards are in several readers. Choose the one to serve.</translation>
    </message>
    <message>
        <source>Enter your PIN on the reader&apos;s keypad and press OK.</source>
        <translation>Enter your PIN on the reader&apos;s keypad and press OK.</translation>
    </message>
    <message>
        <source>The card refused the command (status {status}). Try inserting it again.</source>
        <translation>The card refused the command (status {status}). Try inserting it again.</translation>
    </message>
    <message>
        <source>Card problem (code {code}).</source>
        <translation>Card problem (code {code}).</translation>
    </message>
    <message>
        <source>The ID number&apos;s check digit is wrong. Check the citizen&apos;s resident ID card.</source>
        <translation>The ID number&apos;s check digit is wrong. Check the citizen&apos;s resident ID card.</translation>
    </message>
    <message>
        <source>The ID number is not in the citizen ID format. Check the citizen&apos;s identity document.</source>
        <translation>The ID number is not in the citizen ID format. Check the citizen&apos;s identity document.</translation>
    </message>
    <message>
        <source>The card holds an old 15-digit ID number, which has no check digit.</source>
        <translation>The card holds an old 15-digit ID number, which has no check digit.</translation>
    </message>
    <message>
        <source>The birth date on the card does not match the ID number. Check the citizen&apos;s resident ID card.</source>
        <translation>The birth date on the card does not match the ID number. Check the citizen&apos;s resident ID card.</translation>
    </message>
    <message>
        <source>The sex on the card does not match the ID number. Check the resident ID card.</source>
        <translation>The sex on the card does not match the ID number. Check the resident ID card.</translation>
    </message>
    <message>
        <source>The card has expired.</source>
        <translation>The card has expired.</translation>
    </message>
    <message>
        <source>The card&apos;s issue date is later than its expiry date. Check the card.</source>
        <translation>The card&apos;s issue date is later than its expiry date. Check the card.</translation>
    </message>
    <message>
        <source>The card does not state the holder&apos;s sex.</source>
        <translation>The card does not state the holder&apos;s sex.</translation>
    </message>
    <message>
        <source>The sex on the card is not a valid code.</source>
        <translation>The sex on the card is not a valid code.</translation>
    </message>
    <message>
        <source>Some data on the card is longer than the card standard allows. Check the card.</source>
        <translation>Some data on the card is longer than the card standard allows. Check the card.</translation>
    </message>
    <message>
        <source>The name on the card differs from central&apos;s record.</source>
        <translation>The name on the card differs from central&apos;s record.</translation>
    </message>
    <message>
        <source>Central could not be reached: the identity is checked offline.</source>
        <translation>Central could not be reached: the identity is checked offline.</translation>
    </message>
    <message>
        <source>Card data warning (code {code}).</source>
        <translation>Card data warning (code {code}).</translation>
    </message>
    <message>
        <source>Card in normal use</source>
        <translation>Card in normal use</translation>
    </message>
    <message>
        <source>This card has been reported lost. It cannot be used for services.</source>
        <translation>This card has been reported lost. It cannot be used for services.</translation>
    </message>
    <message>
        <source>This card has been cancelled. It cannot be used for services.</source>
        <translation>This card has been cancelled. It cannot be used for services.</translation>
    </message>
    <message>
        <source>This card has been replaced by a newer card. Ask for the new card.</source>
        <translation>This card has been replaced by a newer card. Ask for the new card.</translation>
    </message>
    <message>
        <source>Card status unknown (checked offline)</source>
        <translation>Card status unknown (checked offline)</translation>
    </message>
    <message>
        <source>Card status: {status}</source>
        <translation>Card status: {status}</translation>
    </message>
    <message>
        <source>Reader ready</source>
        <translation>Reader ready</translation>
    </message>
    <message>
        <source>No card reader</source>
        <translation>No card reader</translation>
    </message>
    <message>
        <source>Smart card service stopped</source>
        <translation>Smart card service stopped</translation>
    </message>
    <message>
        <source>Card reader without driver</source>
        <translation>Card reader without driver</translation>
    </message>
    <message>
        <source>Card reader interface library missing</source>
        <translation>Card reader interface library missing</translation>
    </message>
    <message>
        <source>Reader: {state}</source>
        <translation>Reader: {state}</translation>
    </message>
    <message>
        <source>Tries left: unknown</source>
        <translation>Tries left: unknown</translation>
    </message>
    <message>
        <source>Tries left: {count}</source>
        <translation>Tries left: {count}</translation>
    </message>
    <message>
        <source>PIN correct.</source>
        <translation>PIN correct.</translation>
    </message>
    <message>
        <source>Wrong PIN. The card did not say how many tries are left.</source>
        <translation>Wrong PIN. The card did not say how many tries are left.</translation>
    </message>
    <message>
        <source>Wrong PIN. Tries left: {count}.</source>
        <translation>Wrong PIN. Tries left: {count}.</translation>
    </message>
    <message>
        <source>The PIN is now blocked. The citizen can unblock it with the PIN reset service.</source>
        <translation>The PIN is now blocked. The citizen can unblock it with the PIN reset service.</translation>
    </message>
    <message>
        <source>The card was taken out during the PIN check. This does not count as a wrong PIN; insert the card and try again.</source>
        <translation>The card was taken out during the PIN check. This does not count as a wrong PIN; insert the card and try again.</translation>
    </message>
    <message>
        <source>The card gave no clear answer to the PIN check. Try again.</source>
        <translation>The card gave no clear answer to the PIN check. Try again.</translation>
    </message>
    <message>
        <source>Image quality good</source>
        <translation>Image quality good</translation>
    </message>
    <message>
        <source>No face found in the picture. Ask the citizen to look at the camera.</source>
        <translation>No face found in the picture. Ask the citizen to look at the camera.</translation>
    </message>
    <message>
        <source>The picture could not be read. Take it again.</source>
        <translation>The picture could not be read. Take it again.</translation>
    </message>
    <message>
        <source>The card photo on record shows no usable face. Use the alternative check.</source>
        <translation>The card photo on record shows no usable face. Use the alternative check.</translation>
    </message>
    <message>
        <source>The card photo on record cannot be read. Use the alternative check.</source>
        <translation>The card photo on record cannot be read. Use the alternative check.</translation>
    </message>
    <message>
        <source>More than one face in the picture; the largest one was compared.</source>
        <translation>More than one face in the picture; the largest one was compared.</translation>
    </message>
    <message>
        <source>Face check note (code {code}).</source>
        <translation>Face check note (code {code}).</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>waiting</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>sending</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>sent</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>rejected</translation>
    </message>
    <message>
        <source>withdrawn</source>
        <translation>withdrawn</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Wrong user name or password.</translation>
    </message>
    <message>
        <source>Your sign-in has expired. Sign in again.</source>
        <translation>Your sign-in has expired. Sign in again.</translation>
    </message>
    <message>
        <source>Central could not handle the request. Try again; if it persists, call IT support.</source>
        <translation>Central could not handle the request. Try again; if it persists, call IT support.</translation>
    </message>
    <message>
        <source>The card could not be read. Ask the citizen to insert it again.</source>
        <translation>The card could not be read. Ask the citizen to insert it again.</translation>
    </message>
    <message>
        <source>The citizen&apos;s session has ended. Ask the citizen to insert the card.</source>
        <translation>The citizen&apos;s session has ended. Ask the citizen to insert the card.</translation>
    </message>
    <message>
        <source>This case needs a supervisor&apos;s co-signature.</source>
        <translation>This case needs a supervisor&apos;s co-signature.</translation>
    </message>
    <message>
        <source>This account is not a supervisor&apos;s and cannot co-sign.</source>
        <translation>This account is not a supervisor&apos;s and cannot co-sign.</translation>
    </message>
    <message>
        <source>A supervisor cannot co-sign a case they made themselves.</source>
        <translation>A supervisor cannot co-sign a case they made themselves.</translation>
    </message>
    <message>
        <source>The case could not be stored on this desk. Call IT support.</source>
        <translation>The case could not be stored on this desk. Call IT support.</translation>
    </message>
    <message>
        <source>The desk is shutting down.</source>
        <translation>The desk is shutting down.</translation>
    </message>
    <message>
        <source>This account is locked after too many failed sign-ins. Ask a supervisor.</source>
        <translation>This account is locked after too many failed sign-ins. Ask a supervisor.</translation>
    </message>
    <message>
        <source>Central did not accept the sign-in. Sign in again.</source>
        <translation>Central did not accept the sign-in. Sign in again.</translation>
    </message>
    <message>
        <source>Your account may not do this. Ask a supervisor.</source>
        <translation>Your account may not do this. Ask a supervisor.</translation>
    </message>
    <message>
        <source>Central cannot be reached. Check the network or try again later.</source>
        <translation>Central cannot be reached. Check the network or try again later.</translation>
    </message>
    <message>
        <source>Central cannot be reached and this account has not signed in here recently, so it cannot sign in offline.</source>
        <translation>Central cannot be reached and this account has not signed in here recently, so it cannot sign in offline.</translation>
    </message>
    <message>
        <source>Central sent an answer the desk cannot understand. Call IT support.</source>
        <translation>Central sent an answer the desk cannot understand. Call IT support.</translation>
    </message>
    <message>
        <source>The connection to central is not trusted (certificate problem).</source>
        <translation>The connection to central is not trusted (certificate problem).</translation>
    </message>
    <message>
        <source>Sign in first.</source>
        <translation>Sign in first.</translation>
    </message>
    <message>
        <source>No citizen is being served. Ask the citizen to insert the card.</source>
        <translation>No citizen is being served. Ask the citizen to insert the card.</translation>
    </message>
    <message>
        <source>Central has no record of this card. Check the card and the ID number.</source>
        <translation>Central has no record of this card. Check the card and the ID number.</translation>
    </message>
    <message>
        <source>Central&apos;s record of this card does not match the card.</source>
        <translation>Central&apos;s record of this card does not match the card.</translation>
    </message>
    <message>
        <source>This service needs the card PIN. Ask the citizen to enter it first.</source>
        <translation>This service needs the card PIN. Ask the citizen to enter it first.</translation>
    </message>
    <message>
        <source>This service needs a face check (or the alternative check) first.</source>
        <translation>This service needs a face check (or the alternative check) first.</translation>
    </message>
    <message>
        <source>The face check is not available now. Use the alternative check.</source>
        <translation>The face check is not available now. Use the alternative check.</translation>
    </message>
    <message>
        <source>The face check software is not installed completely. Call IT support.</source>
        <translation>The face check software is not installed completely. Call IT support.</translation>
    </message>
    <message>
        <source>Central has no card photo for this citizen. Use the alternative check.</source>
        <translation>Central has no card photo for this citizen. Use the alternative check.</translation>
    </message>
    <message>
        <source>This service is not in the catalogue any more. Choose another one.</source>
        <translation>This service is not in the catalogue any more. Choose another one.</translation>
    </message>
    <message>
        <source>Some fields are missing or wrong. See the notes next to the fields.</source>
        <translation>Some fields are missing or wrong. See the notes next to the fields.</translation>
    </message>
    <message>
        <source>Too many cases are waiting to be sent. New cases are refused until the network is back and the queue has been sent.</source>
        <translation>Too many cases are waiting to be sent. New cases are refused until the network is back and the queue has been sent.</translation>
    </message>
    <message>
        <source>Central already has a different case with this key. Call IT support.</source>
        <translation>Central already has a different case with this key. Call IT support.</translation>
    </message>
    <message>
        <source>The service catalogue could not be loaded. Try again later.</source>
        <translation>The service catalogue could not be loaded. Try again later.</translation>
    </message>
    <message>
        <source>Central&apos;s answer was about another case; the desk will send this one again.</source>
        <translation>Central&apos;s answer was about another case; the desk will send this one again.</translation>
    </message>
    <message>
        <source>Central&apos;s answer was far too large and was refused; the desk will retry.</source>
        <translation>Central&apos;s answer was far too large and was refused; the desk will retry.</translation>
    </message>
    <message>
        <source>The desk&apos;s queue of cases is missing although its key exists, so cases may have been lost. Nothing new is accepted. Call IT support to restore the queue.</source>
        <translation>The desk&apos;s queue of cases is missing although its key exists, so cases may have been lost. Nothing new is accepted. Call IT support to restore the queue.</translation>
    </message>
    <message>
        <source>The desk&apos;s queue of cases is damaged and cannot be read. Call IT support.</source>
        <translation>The desk&apos;s queue of cases is damaged and cannot be read. Call IT support.</translation>
    </message>
    <message>
        <source>The desk&apos;s queue of cases is empty where cases were expected.</source>
        <translation>The desk&apos;s queue of cases is empty where cases were expected.</translation>
    </message>
    <message>
        <source>The key that opens this desk&apos;s stored cases is not here (was the data folder moved?). Call IT support.</source>
        <translation>The key that opens this desk&apos;s stored cases is not here (was the data folder moved?). Call IT support.</translation>
    </message>
    <message>
        <source>The key found does not open this desk&apos;s stored cases. Call IT support.</source>
        <translation>The key found does not open this desk&apos;s stored cases. Call IT support.</translation>
    </message>
    <message>
        <source>The desk&apos;s audit log is damaged. Call IT support.</source>
        <translation>The desk&apos;s audit log is damaged. Call IT support.</translation>
    </message>
    <message>
        <source>The key found does not match this desk&apos;s audit log. Call IT support.</source>
        <translation>The key found does not match this desk&apos;s audit log. Call IT support.</translation>
    </message>
    <message>
        <source>The key of this desk&apos;s audit log is missing. Call IT support.</source>
        <translation>The key of this desk&apos;s audit log is missing. Call IT support.</translation>
    </message>
    <message>
        <source>The audit log is closed; the desk is stopping.</source>
        <translation>The audit log is closed; the desk is stopping.</translation>
    </message>
    <message>
        <source>The action could not be written to the audit log, so it was not done. Call IT support.</source>
        <translation>The action could not be written to the audit log, so it was not done. Call IT support.</translation>
    </message>
    <message>
        <source>This desk has no audit log yet.</source>
        <translation>This desk has no audit log yet.</translation>
    </message>
    <message>
        <source>The audit log uses a method this version does not know. Call IT support.</source>
        <translation>The audit log uses a method this version does not know. Call IT support.</translation>
    </message>
    <message>
        <source>Choose a reason for withdrawing the case.</source>
        <translation>Choose a reason for withdrawing the case.</translation>
    </message>
    <message>
        <source>The case&apos;s content is no longer stored on this desk.</source>
        <translation>The case&apos;s content is no longer stored on this desk.</translation>
    </message>
    <message>
        <source>The file is not a case export of Hall Counter, or it is damaged.</source>
        <translation>The file is not a case export of Hall Counter, or it is damaged.</translation>
    </message>
    <message>
        <source>Training cases and real cases do not mix: this file comes from the other kind of desk and is not imported.</source>
        <translation>Training cases and real cases do not mix: this file comes from the other kind of desk and is not imported.</translation>
    </message>
    <message>
        <source>The file could not be read.</source>
        <translation>The file could not be read.</translation>
    </message>
    <message>
        <source>The file could not be written. Choose another place.</source>
        <translation>The file could not be written. Choose another place.</translation>
    </message>
    <message>
        <source>The key folder must not be inside the data folder. Call IT support.</source>
        <translation>The key folder must not be inside the data folder. Call IT support.</translation>
    </message>
    <message>
        <source>Other users can read the desk&apos;s key file. Call IT support.</source>
        <translation>Other users can read the desk&apos;s key file. Call IT support.</translation>
    </message>
    <message>
        <source>The desk&apos;s key file cannot be read. Call IT support.</source>
        <translation>The desk&apos;s key file cannot be read. Call IT support.</translation>
    </message>
    <message>
        <source>This desk has no queue of cases yet.</source>
        <translation>This desk has no queue of cases yet.</translation>
    </message>
    <message>
        <source>That case is not in this desk&apos;s queue.</source>
        <translation>That case is not in this desk&apos;s queue.</translation>
    </message>
    <message>
        <source>This case can no longer be corrected.</source>
        <translation>This case can no longer be corrected.</translation>
    </message>
    <message>
        <source>Another Hall Counter program is using this desk&apos;s queue. Close it first.</source>
        <translation>Another Hall Counter program is using this desk&apos;s queue. Close it first.</translation>
    </message>
    <message>
        <source>The queue of cases is closed; the desk is stopping.</source>
        <translation>The queue of cases is closed; the desk is stopping.</translation>
    </message>
    <message>
        <source>The passphrase is too short.</source>
        <translation>The passphrase is too short.</translation>
    </message>
    <message>
        <source>The passphrase is wrong.</source>
        <translation>The passphrase is wrong.</translation>
    </message>
    <message>
        <source>This desk&apos;s queue is read-only here.</source>
        <translation>This desk&apos;s queue is read-only here.</translation>
    </message>
    <message>
        <source>The stored cases use an encryption this version does not know. Call IT support.</source>
        <translation>The stored cases use an encryption this version does not know. Call IT support.</translation>
    </message>
    <message>
        <source>The configured encryption suite is unknown. Call IT support.</source>
        <translation>The configured encryption suite is unknown. Call IT support.</translation>
    </message>
    <message>
        <source>The scanned e-card code was not recognised. Scan it again.</source>
        <translation>The scanned e-card code was not recognised. Scan it again.</translation>
    </message>
    <message>
        <source>The e-card code is invalid or expired. Ask the citizen to refresh it and scan again.</source>
        <translation>The e-card code is invalid or expired. Ask the citizen to refresh it and scan again.</translation>
    </message>
    <message>
        <source>The e-card code has expired. Ask the citizen to refresh it and scan again.</source>
        <translation>The e-card code has expired. Ask the citizen to refresh it and scan again.</translation>
    </message>
    <message>
        <source>Central does not know this e-card code. Ask the citizen to refresh it.</source>
        <translation>Central does not know this e-card code. Ask the citizen to refresh it.</translation>
    </message>
    <message>
        <source>This e-card code was used already. Ask the citizen to refresh it.</source>
        <translation>This e-card code was used already. Ask the citizen to refresh it.</translation>
    </message>
    <message>
        <source>The e-card can only be checked while central is reachable. Use the physical card.</source>
        <translation>The e-card can only be checked while central is reachable. Use the physical card.</translation>
    </message>
    <message>
        <source>The e-card gave no card number, so no case can be made. Ask the citizen for the physical card.</source>
        <translation>The e-card gave no card number, so no case can be made. Ask the citizen for the physical card.</translation>
    </message>
    <message>
        <source>No card PIN is needed: the citizen showed the e-card.</source>
        <translation>No card PIN is needed: the citizen showed the e-card.</translation>
    </message>
    <message>
        <source>The two new PINs are not the same. Enter them again.</source>
        <translation>The two new PINs are not the same. Enter them again.</translation>
    </message>
    <message>
        <source>the face check did not match and the clerk goes ahead</source>
        <translation>the face check did not match and the clerk goes ahead</translation>
    </message>
    <message>
        <source>the citizen declined the face check, or it was not possible</source>
        <translation>the citizen declined the face check, or it was not possible</translation>
    </message>
    <message>
        <source>the identity was checked offline</source>
        <translation>the identity was checked offline</translation>
    </message>
    <message>
        <source>the card PIN is reset</source>
        <translation>the card PIN is reset</translation>
    </message>
    <message>
        <source>the amount is over the limit for this service</source>
        <translation>the amount is over the limit for this service</translation>
    </message>
    <message>
        <source>{message} (code {code})</source>
        <translation>{message} (code {code})</translation>
    </message>
    <message>
        <source>The operation failed (code {code}).</source>
        <translation>The operation failed (code {code}).</translation>
    </message>
    <message>
        <source>Something went wrong ({kind}). The details are in the log.</source>
        <translation>Something went wrong ({kind}). The details are in the log.</translation>
    </message>
    <message>
        <source>Central rejected the case: {reason}</source>
        <translation>Central rejected the case: {reason}</translation>
    </message>
    <message>
        <source>Required.</source>
        <translation>Required.</translation>
    </message>
    <message>
        <source>Must be at least {limit}.</source>
        <translation>Must be at least {limit}.</translation>
    </message>
    <message>
        <source>Must be more than {limit}.</source>
        <translation>Must be more than {limit}.</translation>
    </message>
    <message>
        <source>Must be at most {limit}.</source>
        <translation>Must be at most {limit}.</translation>
    </message>
    <message>
        <source>Must be less than {limit}.</source>
        <translation>Must be less than {limit}.</translation>
    </message>
    <message>
        <source>At least {limit} characters.</source>
        <translation>At least {limit} characters.</translation>
    </message>
    <message>
        <source>At most {limit} characters.</source>
        <translation>At most {limit} characters.</translation>
    </message>
    <message>
        <source>Not in the expected format.</source>
        <translation>Not in the expected format.</translation>
    </message>
    <message>
        <source>Not a valid {format}.</source>
        <translation>Not a valid {format}.</translation>
    </message>
    <message>
        <source>Enter a whole number.</source>
        <translation>Enter a whole number.</translation>
    </message>
    <message>
        <source>Enter a number.</source>
        <translation>Enter a number.</translation>
    </message>
    <message>
        <source>Choose one of the options.</source>
        <translation>Choose one of the options.</translation>
    </message>
    <message>
        <source>Not the expected kind of value.</source>
        <translation>Not the expected kind of value.</translation>
    </message>
    <message>
        <source>This field does not belong to the form.</source>
        <translation>This field does not belong to the form.</translation>
    </message>
    <message>
        <source>Not valid.</source>
        <translation>Not valid.</translation>
    </message>
    <message>
        <source>Cannot be corrected</source>
        <translation>Cannot be corrected</translation>
    </message>
    <message>
        <source>Central asked the desk to wait; the desk will try again later.</source>
        <translation>Central asked the desk to wait; the desk will try again later.</translation>
    </message>
    <message>
        <source>Central could not be reached; the desk will try again.</source>
        <translation>Central could not be reached; the desk will try again.</translation>
    </message>
    <message>
        <source>Central did not accept the supervisor&apos;s co-signature.</source>
        <translation>Central did not accept the supervisor&apos;s co-signature.</translation>
    </message>
    <message>
        <source>Central did not accept this workstation&apos;s sign-in; the case waits. Call IT support.</source>
        <translation>Central did not accept this workstation&apos;s sign-in; the case waits. Call IT support.</translation>
    </message>
    <message>
        <source>Central did not answer in time; the desk will try again.</source>
        <translation>Central did not answer in time; the desk will try again.</translation>
    </message>
    <message>
        <source>Central found the case incomplete or inconsistent. Correct or withdraw it.</source>
        <translation>Central found the case incomplete or inconsistent. Correct or withdraw it.</translation>
    </message>
    <message>
        <source>Central gave an unexpected answer; the desk will try again.</source>
        <translation>Central gave an unexpected answer; the desk will try again.</translation>
    </message>
    <message>
        <source>Central had an internal error; the desk will try again.</source>
        <translation>Central had an internal error; the desk will try again.</translation>
    </message>
    <message>
        <source>Central needs a stronger identity check for this service.</source>
        <translation>Central needs a stronger identity check for this service.</translation>
    </message>
    <message>
        <source>Duplicate of another case</source>
        <translation>Duplicate of another case</translation>
    </message>
    <message>
        <source>Entered in error</source>
        <translation>Entered in error</translation>
    </message>
    <message>
        <source>New cases are refused: too many cases on this desk have not reached central. Check the network and use &apos;Send now&apos;.</source>
        <translation>New cases are refused: too many cases on this desk have not reached central. Check the network and use &apos;Send now&apos;.</translation>
    </message>
    <message>
        <source>Other reason</source>
        <translation>Other reason</translation>
    </message>
    <message>
        <source>The case names another workstation than the one that sent it.</source>
        <translation>The case names another workstation than the one that sent it.</translation>
    </message>
    <message>
        <source>The case was not sent (code {code}).</source>
        <translation>The case was not sent (code {code}).</translation>
    </message>
    <message>
        <source>The citizen asked for it</source>
        <translation>The citizen asked for it</translation>
    </message>
    <message>
        <source>The stored case cannot be opened on this desk. Call IT support.</source>
        <translation>The stored case cannot be opened on this desk. Call IT support.</translation>
    </message>
    <message>
        <source>The training central simulated a failure; the desk will try again.</source>
        <translation>The training central simulated a failure; the desk will try again.</translation>
    </message>
    <message>
        <source>Central found fields missing or wrong. Correct or withdraw the case.</source>
        <translation>Central found fields missing or wrong. Correct or withdraw the case.</translation>
    </message>
</context>
<context>
    <name>OutboxView</name>
    <message>
        <source>Attempts</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <source>Case (version)</source>
        <translation>Case (version)</translation>
    </message>
    <message>
        <source>Case {local_id} was withdrawn.</source>
        <translation>Case {local_id} was withdrawn.</translation>
    </message>
    <message>
        <source>Cases queued at this desk</source>
        <translation>Cases queued at this desk</translation>
    </message>
    <message>
        <source>Central case</source>
        <translation>Central case</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Next try</source>
        <translation>Next try</translation>
    </message>
    <message>
        <source>Outbox</source>
        <translation>Outbox</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>Queued</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>Send now</translation>
    </message>
    <message>
        <source>Sending the waiting cases now.</source>
        <translation>Sending the waiting cases now.</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Withdraw…</source>
        <translation>Withdraw…</translation>
    </message>
    <message>
        <source>{local_id} (v{version})</source>
        <translation>{local_id} (v{version})</translation>
    </message>
    <message>
        <source>{reason} Fields: {fields}</source>
        <translation>{reason} Fields: {fields}</translation>
    </message>
    <message>
        <source>{state} — Needs action</source>
        <translation>{state} — Needs action</translation>
    </message>
    <message>
        <source>{state} — corrected as {local_id}</source>
        <translation>{state} — corrected as {local_id}</translation>
    </message>
    <message>
        <source>{state} — {reason}</source>
        <translation>{state} — {reason}</translation>
    </message>
    <message>
        <source>Case {old} was corrected and queued as {new}.</source>
        <translation>Case {old} was corrected and queued as {new}.</translation>
    </message>
    <message>
        <source>Correct…</source>
        <translation>Correct…</translation>
    </message>
</context>
<context>
    <name>PinKeypadWidget</name>
    <message>
        <source>PIN: {count} digits entered</source>
        <translation>PIN: {count} digits entered</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Confirm</translation>
    </message>
</context>
<context>
    <name>PinPage</name>
    <message>
        <source>Cancel and take the card</source>
        <translation>Cancel and take the card</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Try again</translation>
    </message>
    <message>
        <source>The keypad is on the card reader below the screen. Nothing is typed here.</source>
        <translation>The keypad is on the card reader below the screen. Nothing is typed here.</translation>
    </message>
</context>
<context>
    <name>PinPanelWidget</name>
    <message>
        <source>Card PIN</source>
        <translation>Card PIN</translation>
    </message>
    <message>
        <source>Verify PIN</source>
        <translation>Verify PIN</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Delete</translation>
    </message>
    <message>
        <source>Open the PIN reset service</source>
        <translation>Open the PIN reset service</translation>
    </message>
    <message>
        <source>Change PIN</source>
        <translation>Change PIN</translation>
    </message>
    <message>
        <source>Start PIN entry on the reader&apos;s keypad</source>
        <translation>Start PIN entry on the reader&apos;s keypad</translation>
    </message>
    <message>
        <source>Current PIN</source>
        <translation>Current PIN</translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation>New PIN</translation>
    </message>
    <message>
        <source>New PIN again</source>
        <translation>New PIN again</translation>
    </message>
    <message>
        <source>Change the PIN</source>
        <translation>Change the PIN</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Reading how many tries are left…</source>
        <translation>Reading how many tries are left…</translation>
    </message>
    <message>
        <source>Insert the card to enter the PIN.</source>
        <translation>Insert the card to enter the PIN.</translation>
    </message>
    <message>
        <source>Ask the citizen to enter the card PIN on the keypad ({minimum}–{maximum} digits).</source>
        <translation>Ask the citizen to enter the card PIN on the keypad ({minimum}–{maximum} digits).</translation>
    </message>
    <message>
        <source>This reader has its own keypad: the citizen enters the PIN there.</source>
        <translation>This reader has its own keypad: the citizen enters the PIN there.</translation>
    </message>
    <message>
        <source>Checking the PIN with the card…</source>
        <translation>Checking the PIN with the card…</translation>
    </message>
    <message>
        <source>Ask the citizen to enter the current PIN, then the new PIN twice ({minimum}–{maximum} digits).</source>
        <translation>Ask the citizen to enter the current PIN, then the new PIN twice ({minimum}–{maximum} digits).</translation>
    </message>
    <message>
        <source>Changing the PIN on the card…</source>
        <translation>Changing the PIN on the card…</translation>
    </message>
    <message>
        <source>The PIN cannot be entered: it is blocked.</source>
        <translation>The PIN cannot be entered: it is blocked.</translation>
    </message>
    <message>
        <source>No card PIN is needed: the citizen showed the electronic social security card.</source>
        <translation>No card PIN is needed: the citizen showed the electronic social security card.</translation>
    </message>
    <message>
        <source>The PIN has been changed. Use the new PIN from now on.</source>
        <translation>The PIN has been changed. Use the new PIN from now on.</translation>
    </message>
    <message>
        <source>The current PIN is wrong. The PIN was not changed.</source>
        <translation>The current PIN is wrong. The PIN was not changed.</translation>
    </message>
    <message>
        <source>The current PIN is wrong. The PIN was not changed. Tries left: {count}.</source>
        <translation>The current PIN is wrong. The PIN was not changed. Tries left: {count}.</translation>
    </message>
    <message>
        <source>The card was taken out while the PIN was being changed. This does not count as a wrong PIN; insert the card and try again.</source>
        <translation>The card was taken out while the PIN was being changed. This does not count as a wrong PIN; insert the card and try again.</translation>
    </message>
</context>
<context>
    <name>QuestionPage</name>
    <message>
        <source>Back to the services</source>
        <translation>Back to the services</translation>
    </message>
</context>
<context>
    <name>ReaderPickerDialog</name>
    <message>
        <source>Choose the card reader</source>
        <translation>Choose the card reader</translation>
    </message>
    <message>
        <source>Serve the card in this reader</source>
        <translation>Serve the card in this reader</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ReasonChooser</name>
    <message>
        <source>Choose a reason…</source>
        <translation>Choose a reason…</translation>
    </message>
    <message>
        <source>Other reason (type it)</source>
        <translation>Other reason (type it)</translation>
    </message>
    <message>
        <source>Type the reason</source>
        <translation>Type the reason</translation>
    </message>
</context>
<context>
    <name>ReceiptWidget</name>
    <message>
        <source>rejected: {reason}</source>
        <translation>rejected: {reason}</translation>
    </message>
    <message>
        <source>waiting to be sent</source>
        <translation>waiting to be sent</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Local case no.</source>
        <translation>Local case no.</translation>
    </message>
    <message>
        <source>Central case no.</source>
        <translation>Central case no.</translation>
    </message>
    <message>
        <source>No case submitted yet.</source>
        <translation>No case submitted yet.</translation>
    </message>
    <message>
        <source>Case received: {service}
Local case number: {local}
Central case number: {central}</source>
        <translation>Case received: {service}
Local case number: {local}
Central case number: {central}</translation>
    </message>
</context>
<context>
    <name>RecordsPage</name>
    <message>
        <source>Print the records</source>
        <translation>Print the records</translation>
    </message>
    <message>
        <source>Back to the services</source>
        <translation>Back to the services</translation>
    </message>
</context>
<context>
    <name>SecurityMessages</name>
    <message>
        <source>The screen is locked. Enter your password to go on.</source>
        <translation>The screen is locked. Enter your password to go on.</translation>
    </message>
    <message>
        <source>Finish the second sign-in step first.</source>
        <translation>Finish the second sign-in step first.</translation>
    </message>
    <message>
        <source>No second sign-in step is due.</source>
        <translation>No second sign-in step is due.</translation>
    </message>
    <message>
        <source>The second sign-in step is not possible now (no card or photo on file, or central cannot be reached). Ask a supervisor.</source>
        <translation>The second sign-in step is not possible now (no card or photo on file, or central cannot be reached). Ask a supervisor.</translation>
    </message>
    <message>
        <source>This is not your staff card. Insert your own staff card.</source>
        <translation>This is not your staff card. Insert your own staff card.</translation>
    </message>
    <message>
        <source>The face does not match your staff photo. Try again.</source>
        <translation>The face does not match your staff photo. Try again.</translation>
    </message>
    <message>
        <source>The face check is not available now. Try again later.</source>
        <translation>The face check is not available now. Try again later.</translation>
    </message>
    <message>
        <source>The card PIN is blocked. Ask a supervisor.</source>
        <translation>The card PIN is blocked. Ask a supervisor.</translation>
    </message>
    <message>
        <source>There is no card in the reader. Insert your staff card.</source>
        <translation>There is no card in the reader. Insert your staff card.</translation>
    </message>
    <message>
        <source>Central cannot be reached and your offline sign-in on this desk has expired.</source>
        <translation>Central cannot be reached and your offline sign-in on this desk has expired.</translation>
    </message>
    <message>
        <source>You made this case yourself, so you cannot approve it.</source>
        <translation>You made this case yourself, so you cannot approve it.</translation>
    </message>
    <message>
        <source>This approval step needs another role than yours.</source>
        <translation>This approval step needs another role than yours.</translation>
    </message>
    <message>
        <source>You already decided another step of this case.</source>
        <translation>You already decided another step of this case.</translation>
    </message>
    <message>
        <source>Somebody else has already decided this step.</source>
        <translation>Somebody else has already decided this step.</translation>
    </message>
    <message>
        <source>An earlier step of this case must be decided first.</source>
        <translation>An earlier step of this case must be decided first.</translation>
    </message>
    <message>
        <source>This case is no longer waiting for approval.</source>
        <translation>This case is no longer waiting for approval.</translation>
    </message>
    <message>
        <source>Central does not know this case.</source>
        <translation>Central does not know this case.</translation>
    </message>
    <message>
        <source>This reason is not in the hall&apos;s list. Choose or type another.</source>
        <translation>This reason is not in the hall&apos;s list. Choose or type another.</translation>
    </message>
    <message>
        <source>Give a reason.</source>
        <translation>Give a reason.</translation>
    </message>
    <message>
        <source>The co-signature was not made at this desk. Co-sign again.</source>
        <translation>The co-signature was not made at this desk. Co-sign again.</translation>
    </message>
    <message>
        <source>Wrong PIN. {tries} tries left.</source>
        <translation>Wrong PIN. {tries} tries left.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Wrong PIN.</translation>
    </message>
    <message>
        <source>waiting for an earlier step</source>
        <translation>waiting for an earlier step</translation>
    </message>
    <message>
        <source>waiting for a decision</source>
        <translation>waiting for a decision</translation>
    </message>
    <message>
        <source>approved</source>
        <translation>approved</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>rejected</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>clerk</source>
        <translation>clerk</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>supervisor</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrator</translation>
    </message>
    <message>
        <source>Account locked after failed sign-ins</source>
        <translation>Account locked after failed sign-ins</translation>
    </message>
    <message>
        <source>Repeated failed sign-ins</source>
        <translation>Repeated failed sign-ins</translation>
    </message>
    <message>
        <source>Far more citizen lookups than cases</source>
        <translation>Far more citizen lookups than cases</translation>
    </message>
    <message>
        <source>Approval outside opening hours</source>
        <translation>Approval outside opening hours</translation>
    </message>
    <message>
        <source>Audit chain broken</source>
        <translation>Audit chain broken</translation>
    </message>
    <message>
        <source>a record was deleted</source>
        <translation>a record was deleted</translation>
    </message>
    <message>
        <source>a record does not follow the one before it</source>
        <translation>a record does not follow the one before it</translation>
    </message>
    <message>
        <source>a record was changed</source>
        <translation>a record was changed</translation>
    </message>
    <message>
        <source>a record names an unknown algorithm</source>
        <translation>a record names an unknown algorithm</translation>
    </message>
    <message>
        <source>records at the end are missing</source>
        <translation>records at the end are missing</translation>
    </message>
    <message>
        <source>a record differs from the copy central holds</source>
        <translation>a record differs from the copy central holds</translation>
    </message>
    <message>
        <source>the desk&apos;s audit key does not match the chain</source>
        <translation>the desk&apos;s audit key does not match the chain</translation>
    </message>
</context>
<context>
    <name>ServePage</name>
    <message>
        <source>Case saved on this desk with local number {local}.</source>
        <translation>Case saved on this desk with local number {local}.</translation>
    </message>
    <message>
        <source>Serving a citizen</source>
        <translation>Serving a citizen</translation>
    </message>
    <message>
        <source>Finish with this citizen</source>
        <translation>Finish with this citizen</translation>
    </message>
</context>
<context>
    <name>ServiceFormWidget</name>
    <message>
        <source>Fields marked * are required.</source>
        <translation>Fields marked * are required.</translation>
    </message>
    <message>
        <source>— choose —</source>
        <translation>— choose —</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Yes</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
</context>
<context>
    <name>ServicePanelWidget</name>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Service:</source>
        <translation>Service:</translation>
    </message>
    <message>
        <source>Loading services…</source>
        <translation>Loading services…</translation>
    </message>
    <message>
        <source>— choose a service —</source>
        <translation>— choose a service —</translation>
    </message>
    <message>
        <source>Submitting…</source>
        <translation>Submitting…</translation>
    </message>
    <message>
        <source>Submit case</source>
        <translation>Submit case</translation>
    </message>
    <message>
        <source>card PIN</source>
        <translation>card PIN</translation>
    </message>
    <message>
        <source>face check</source>
        <translation>face check</translation>
    </message>
    <message>
        <source>This service needs: {checks}.</source>
        <translation>This service needs: {checks}.</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
    <message>
        <source>This service needs no PIN or face check.</source>
        <translation>This service needs no PIN or face check.</translation>
    </message>
</context>
<context>
    <name>ServiceStagesWidget</name>
    <message>
        <source>Where each service waits longest</source>
        <translation>Where each service waits longest</translation>
    </message>
    <message>
        <source>No figures yet.</source>
        <translation>No figures yet.</translation>
    </message>
    <message>
        <source>bottleneck</source>
        <translation>bottleneck</translation>
    </message>
    <message>
        <source>bottleneck, worst here</source>
        <translation>bottleneck, worst here</translation>
    </message>
    <message>
        <source>No service has a finished stage in the period.</source>
        <translation>No service has a finished stage in the period.</translation>
    </message>
    <message>
        <source>{service} waits longest in {stage}: median {median}.</source>
        <translation>{service} waits longest in {stage}: median {median}.</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Slowest stage</source>
        <translation>Slowest stage</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>Median</translation>
    </message>
    <message>
        <source>90%</source>
        <translation>90%</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <source>Clerk sign-in</source>
        <translation>Clerk sign-in</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>{name}, one more step: insert your own staff card into the reader and enter its PIN.</source>
        <translation>{name}, one more step: insert your own staff card into the reader and enter its PIN.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <source>Confirm</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <source>{name}, one more step: look into the camera, then press the button.</source>
        <translation>{name}, one more step: look into the camera, then press the button.</translation>
    </message>
    <message>
        <source>Check my face</source>
        <translation>Check my face</translation>
    </message>
    <message>
        <source>Card PIN</source>
        <translation>Card PIN</translation>
    </message>
    <message>
        <source>Cancel and sign out</source>
        <translation>Cancel and sign out</translation>
    </message>
    <message>
        <source>Training mode: sign in with a training account from your trainer.</source>
        <translation>Training mode: sign in with a training account from your trainer.</translation>
    </message>
</context>
<context>
    <name>StageChartWidget</name>
    <message>
        <source>Time in each stage</source>
        <translation>Time in each stage</translation>
    </message>
    <message>
        <source>No figures yet.</source>
        <translation>No figures yet.</translation>
    </message>
    <message>
        <source>Median</source>
        <translation>Median</translation>
    </message>
    <message>
        <source>90th percentile</source>
        <translation>90th percentile</translation>
    </message>
    <message>
        <source>▶ {stage} (slowest)</source>
        <translation>▶ {stage} (slowest)</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>hours</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>minutes</translation>
    </message>
    <message>
        <source>No stage ended in the period.</source>
        <translation>No stage ended in the period.</translation>
    </message>
    <message>
        <source>▶ Slowest: {stage} — median {median}, 90% within {p90}</source>
        <translation>▶ Slowest: {stage} — median {median}, 90% within {p90}</translation>
    </message>
    <message>
        <source>Slowest stage: {stage}, median {median}, 90% within {p90}, longest {max} ({count} cases).</source>
        <translation>Slowest stage: {stage}, median {median}, 90% within {p90}, longest {max} ({count} cases).</translation>
    </message>
    <message>
        <source>{stage} {median}</source>
        <translation>{stage} {median}</translation>
    </message>
    <message>
        <source>Other stages (median): {list}.</source>
        <translation>Other stages (median): {list}.</translation>
    </message>
    <message>
        <source>, </source>
        <translation>, </translation>
    </message>
</context>
<context>
    <name>ThroughputChartWidget</name>
    <message>
        <source>Cases per hour</source>
        <translation>Cases per hour</translation>
    </message>
    <message>
        <source>Cases per day</source>
        <translation>Cases per day</translation>
    </message>
    <message>
        <source>No figures yet.</source>
        <translation>No figures yet.</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Completed</translation>
    </message>
    <message>
        <source>Rejected</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>cases</source>
        <translation>cases</translation>
    </message>
    <message>
        <source>In the period: {received} received, {completed} completed, {rejected} rejected.</source>
        <translation>In the period: {received} received, {completed} completed, {rejected} rejected.</translation>
    </message>
    <message>
        <source>Busiest: {period}, {count} received.</source>
        <translation>Busiest: {period}, {count} received.</translation>
    </message>
    <message>
        <source>{period}: {received} received, {completed} completed, {rejected} rejected</source>
        <translation>{period}: {received} received, {completed} completed, {rejected} rejected</translation>
    </message>
</context>
<context>
    <name>TrainingBannerWidget</name>
    <message>
        <source>TRAINING</source>
        <translation>TRAINING / 培训模式</translation>
    </message>
    <message>
        <source>{mark} — practice only: cases go to the training sandbox, not to central.</source>
        <translation>{mark} — practice only: cases go to the training sandbox, not to central.</translation>
    </message>
</context>
<context>
    <name>TrainingCardTrayWidget</name>
    <message>
        <source>Training cards:</source>
        <translation>Training cards:</translation>
    </message>
    <message>
        <source>Sample card {number}: {name}</source>
        <translation>Sample card {number}: {name}</translation>
    </message>
    <message>
        <source>Insert card</source>
        <translation>Insert card</translation>
    </message>
    <message>
        <source>Take card out</source>
        <translation>Take card out</translation>
    </message>
</context>
<context>
    <name>WithdrawDialog</name>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Note (optional)</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Withdraw</source>
        <translation>Withdraw</translation>
    </message>
    <message>
        <source>Withdraw case</source>
        <translation>Withdraw case</translation>
    </message>
    <message>
        <source>Withdraw case {local_id}? It will not be sent to central. This cannot be undone.</source>
        <translation>Withdraw case {local_id}? It will not be sent to central. This cannot be undone.</translation>
    </message>
</context>
</TS>
