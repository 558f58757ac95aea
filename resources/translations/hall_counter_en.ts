<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
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
        <source>Card read.</source>
        <translation>Card read.</translation>
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
        <source>Hall Counter — social security service window</source>
        <translation>Hall Counter — social security service window</translation>
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
        <source>Cancel</source>
        <translation>Cancel</translation>
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
        <source>Compare with card photo</source>
        <translation>Compare with card photo</translation>
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
        <source>Tell the citizen: the face check compares you with your card photo. The picture is not stored. You may decline.</source>
        <translation>Tell the citizen: the face check compares you with your card photo. The picture is not stored. You may decline.</translation>
    </message>
    <message>
        <source>No picture</source>
        <translation>No picture</translation>
    </message>
    <message>
        <source>No camera picture is available.</source>
        <translation>No camera picture is available.</translation>
    </message>
    <message>
        <source>Training sample photo</source>
        <translation>Training sample photo</translation>
    </message>
    <message>
        <source>Camera picture</source>
        <translation>Camera picture</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>Comparing…</translation>
    </message>
    <message>
        <source>Could not be judged.</source>
        <translation>Could not be judged.</translation>
    </message>
    <message>
        <source>MATCH: the citizen matches the card photo.</source>
        <translation>MATCH: the citizen matches the card photo.</translation>
    </message>
    <message>
        <source>NO MATCH: the citizen does not match the card photo. Check again or use the alternative.</source>
        <translation>NO MATCH: the citizen does not match the card photo. Check again or use the alternative.</translation>
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
    <name>LanguageSwitchWidget</name>
    <message>
        <source>Interface language</source>
        <translation>Interface language</translation>
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
        <source>Checking the PIN with the card…</source>
        <translation>Checking the PIN with the card…</translation>
    </message>
    <message>
        <source>The PIN cannot be entered: it is blocked.</source>
        <translation>The PIN cannot be entered: it is blocked.</translation>
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
        <source>Training mode: sign in with a training account from your trainer.</source>
        <translation>Training mode: sign in with a training account from your trainer.</translation>
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
</TS>
