/**
 * DICOM PS3.15 Annex E, Table E.1-1: the attributes of the Basic
 * Application Level Confidentiality Profile and their actions.
 *
 *   D  replace with a dummy value      Z  replace with zero length (or dummy)
 *   X  remove                          K  keep
 *   C  clean (keep, stripped of identifying text)
 *   U  replace with a non-zero-length UID consistent within the set
 *   X/Z, X/D, Z/D, X/Z/D, X/Z/U*: the first applies unless the IOD requires the attribute
 *
 * The import's output is re-encoded media plus a summary, not DICOM, so the
 * strict reading applies: every X, Z and D attribute is dropped outright,
 * and U attributes are replaced by keyed pseudonymous UIDs (uids.ts).
 * Group-wide rules (private groups, curves 50xx, overlays 60xx) are in
 * `profileAction`. The list covers the Basic Profile's attributes most
 * common in ultrasound and angiography files; an attribute not listed is
 * not carried into the catalog unless the summary names it (deidentify.ts).
 */

export type ProfileAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'X/Z' | 'X/D' | 'Z/D' | 'X/Z/D' | 'X/Z/U*'

export interface ProfileEntry {
  tag: string
  name: string
  action: ProfileAction
}

const TABLE = `
00080050|Accession Number|Z
00184000|Acquisition Comments|X
00400555|Acquisition Context Sequence|X
00080022|Acquisition Date|X/Z
0008002A|Acquisition DateTime|X/Z/D
00181400|Acquisition Device Processing Description|X/D
00189424|Acquisition Protocol Description|X
00080032|Acquisition Time|X/Z
00080017|Acquisition UID|U
00404035|Actual Human Performers Sequence|X
001021B0|Additional Patient History|X
00380010|Admission ID|X
00380020|Admitting Date|X
00081084|Admitting Diagnoses Code Sequence|X
00081080|Admitting Diagnoses Description|X
00380021|Admitting Time|X
00001000|Affected SOP Instance UID|X
00102110|Allergies|X
40000010|Arbitrary|X
0040A078|Author Observer Sequence|X
00101081|Branch of Service|X
00181007|Cassette ID|X
00400280|Comments on the Performed Procedure Step|X
00209161|Concatenation UID|U
00403001|Confidentiality Constraint on Patient Data Description|X
00700084|Content Creator's Name|Z
00700086|Content Creator's Identification Code Sequence|X
00080023|Content Date|Z/D
0040A730|Content Sequence|X
00080033|Content Time|Z/D
0008010D|Context Group Extension Creator UID|U
00180010|Contrast/Bolus Agent|Z/D
0018A003|Contribution Description|X
00102150|Country of Residence|X
00089123|Creator-Version UID|U
00380300|Current Patient Location|X
00080025|Curve Date|X
00080035|Curve Time|X
0040A07C|Custodial Organization Sequence|X
FFFCFFFC|Data Set Trailing Padding|X
00181200|Date of Last Calibration|X
0018700C|Date of Last Detector Calibration|X
00181202|DateTime of Last Calibration|X
00181000|Device Serial Number|X/Z/D
00181002|Device UID|U
04000100|Digital Signature UID|X
FFFAFFFA|Digital Signatures Sequence|X
00209164|Dimension Organization UID|U
00380040|Discharge Diagnosis Description|X
4008011A|Distribution Address|X
40080119|Distribution Name|X
300A0013|Dose Reference UID|U
00189517|End Acquisition DateTime|X/D
00102160|Ethnic Group|X
00080058|Failed SOP Instance UID List|U
0070031A|Fiducial UID|U
00402017|Filler Order Number / Imaging Service Request|Z
00209158|Frame Comments|X
00189074|Frame Acquisition DateTime|X/D
00189151|Frame Reference DateTime|X/D
00200052|Frame of Reference UID|U
00181008|Gantry ID|X
00181005|Generator ID|X
00700001|Graphic Annotation Sequence|D
00404037|Human Performers Name|X
00404036|Human Performers Organization|X
00880200|Icon Image Sequence|X
00084000|Identifying Comments|X
00204000|Image Comments|X
00284000|Image Presentation Comments|X
00402400|Imaging Service Request Comments|X
40080300|Impressions|X
00080015|Instance Coercion DateTime|X
00080012|Instance Creation Date|X/D
00080013|Instance Creation Time|X/Z/D
00080014|Instance Creator UID|U
00080081|Institution Address|X
00080082|Institution Code Sequence|X/Z/D
00080080|Institution Name|X/Z/D
00081040|Institutional Department Name|X
00101050|Insurance Plan Identification|X
00401011|Intended Recipients of Results Identification Sequence|X
40080111|Interpretation Approver Sequence|X
4008010C|Interpretation Author|X
40080115|Interpretation Diagnosis Description|X
40080202|Interpretation ID Issuer|X
40080102|Interpretation Recorder|X
4008010B|Interpretation Text|X
4008010A|Interpretation Transcriber|X
00083010|Irradiation Event UID|U
00380011|Issuer of Admission ID|X
00100021|Issuer of Patient ID|X
00380061|Issuer of Service Episode ID|X
00281214|Large Palette Color Lookup Table UID|U
001021D0|Last Menstrual Date|X
04000404|MAC|X
00080070|Manufacturer|K
00081090|Manufacturer's Model Name|X
00020003|Media Storage SOP Instance UID|U
00102000|Medical Alerts|X
00101090|Medical Record Locator|X
00101080|Military Rank|X
04000550|Modified Attributes Sequence|X
00203406|Modified Image Description|X
00203401|Modifying Device ID|X
00203404|Modifying Device Manufacturer|X
00081060|Name of Physician(s) Reading Study|X
00401010|Names of Intended Recipients of Results|X
00102180|Occupation|X
00081072|Operators' Identification Sequence|X/D
00081070|Operators' Name|X/Z/D
04000561|Original Attributes Sequence|X
00402010|Order Callback Phone Number|X
00402008|Order Entered By|X
00402009|Order Enterer's Location|X
00101000|Other Patient IDs|X
00101002|Other Patient IDs Sequence|X
00101001|Other Patient Names|X
00080024|Overlay Date|X
00080034|Overlay Time|X
00281199|Palette Color Lookup Table UID|U
0040A07A|Participant Sequence|X
00101040|Patient's Address|X
00104000|Patient Comments|X
00100020|Patient ID|Z
00102203|Patient's Sex Neutered|X/Z
00380500|Patient State|X
00401004|Patient Transport Arrangements|X
00101010|Patient's Age|X
00100030|Patient's Birth Date|Z
00101005|Patient's Birth Name|X
00100032|Patient's Birth Time|X
00100033|Patient's Birth Date in Alternative Calendar|X
00100034|Patient's Death Date in Alternative Calendar|X
00100035|Patient's Alternative Calendar|X
00380400|Patient's Institution Residence|X
00100050|Patient's Insurance Plan Code Sequence|X
00101060|Patient's Mother's Birth Name|X
00100010|Patient's Name|Z
00100101|Patient's Primary Language Code Sequence|X
00100102|Patient's Primary Language Modifier Code Sequence|X
001021F0|Patient's Religious Preference|X
00100040|Patient's Sex|Z
00101020|Patient's Size|X
00102155|Patient's Telecom Information|X
00102154|Patient's Telephone Numbers|X
00101030|Patient's Weight|X
00400243|Performed Location|X
00400254|Performed Procedure Step Description|X
00400250|Performed Procedure Step End Date|X
00400251|Performed Procedure Step End Time|X
00400253|Performed Procedure Step ID|X
00400244|Performed Procedure Step Start Date|X
00400245|Performed Procedure Step Start Time|X
00400241|Performed Station AE Title|X
00404030|Performed Station Geographic Location Code Sequence|X
00400242|Performed Station Name|X
00400248|Performed Station Name Code Sequence|X
00081052|Performing Physician Identification Sequence|X
00081050|Performing Physician's Name|X
00401102|Person's Address|X
00401101|Person Identification Code Sequence|D
0040A123|Person Name|D
00401103|Person's Telephone Numbers|X
40080114|Physician Approving Interpretation|X
00081062|Physician(s) Reading Study Identification Sequence|X
00081048|Physician(s) of Record|X
00081049|Physician(s) of Record Identification Sequence|X
00402016|Placer Order Number / Imaging Service Request|Z
00181004|Plate ID|X
00400012|Pre-Medication|X
001021C0|Pregnancy Status|X
00181030|Protocol Name|X/D
00402001|Reason for the Imaging Service Request|X
00321030|Reason for Study|X
04000402|Referenced Digital Signature Sequence|X
30060024|Referenced Frame of Reference UID|U
00404023|Referenced General Purpose Scheduled Procedure Step Transaction UID|U
00081140|Referenced Image Sequence|X/Z/U*
00081120|Referenced Patient Sequence|X
00081111|Referenced Performed Procedure Step Sequence|X/Z/D
04000403|Referenced SOP Instance MAC Sequence|X
00081155|Referenced SOP Instance UID|U
00041511|Referenced SOP Instance UID in File|U
00081110|Referenced Study Sequence|X/Z
00080092|Referring Physician's Address|X
00080096|Referring Physician's Identification Sequence|X
00080090|Referring Physician's Name|Z
00080094|Referring Physician's Telephone Numbers|X
00102152|Region of Residence|X
300600C2|Related Frame of Reference UID|U
00400275|Request Attributes Sequence|X
00321070|Requested Contrast Agent|X
00401400|Requested Procedure Comments|X
00321060|Requested Procedure Description|X/Z
00401001|Requested Procedure ID|X
00401005|Requested Procedure Location|X
00001001|Requested SOP Instance UID|U
00321032|Requesting Physician|X
00321033|Requesting Service|X
00102299|Responsible Organization|X
00102297|Responsible Person|X
40084000|Results Comments|X
40080118|Results Distribution List Sequence|X
40080042|Results ID Issuer|X
300E0008|Reviewer Name|X/Z
00404034|Scheduled Human Performers Sequence|X
0038001E|Scheduled Patient Institution Residence|X
0040000B|Scheduled Performing Physician Identification Sequence|X
00400006|Scheduled Performing Physician Name|X
00400004|Scheduled Procedure Step End Date|X
00400005|Scheduled Procedure Step End Time|X
00400007|Scheduled Procedure Step Description|X
00400011|Scheduled Procedure Step Location|X
00400002|Scheduled Procedure Step Start Date|X
00400003|Scheduled Procedure Step Start Time|X
00400001|Scheduled Station AE Title|X
00404027|Scheduled Station Geographic Location Code Sequence|X
00400010|Scheduled Station Name|X
00404025|Scheduled Station Name Code Sequence|X
00321020|Scheduled Study Location|X
00321021|Scheduled Study Location AE Title|X
00181016|Secondary Capture Device Manufacturer|X
00181018|Secondary Capture Device Manufacturer's Model Name|X
00181019|Secondary Capture Device Software Versions|X
00080021|Series Date|X/D
0008103E|Series Description|X
0020000E|Series Instance UID|U
00080031|Series Time|X/D
00380062|Service Episode Description|X
00380060|Service Episode ID|X
001021A0|Smoking Status|X
00181020|Software Versions|X
00080018|SOP Instance UID|U
00082112|Source Image Sequence|X/Z/U*
00380050|Special Needs|X
00189516|Start Acquisition DateTime|X/D
00081010|Station Name|X/Z/D
00880140|Storage Media File-set UID|U
00324000|Study Comments|X
00080020|Study Date|Z
00081030|Study Description|X
00200010|Study ID|Z
00320012|Study ID Issuer|X
0020000D|Study Instance UID|U
00080030|Study Time|Z
00200200|Synchronization Frame of Reference UID|U
0040DB0D|Template Extension Creator UID|U
0040DB0C|Template Extension Organization UID|U
40004000|Text Comments|X
20300020|Text String|X
00080201|Timezone Offset From UTC|X
00880910|Topic Author|X
00880912|Topic Keywords|X
00880906|Topic Subject|X
00880904|Topic Title|X
00081195|Transaction UID|U
0040A124|UID|U
0040A088|Verifying Observer Identification Code Sequence|Z
0040A075|Verifying Observer Name|D
0040A073|Verifying Observer Sequence|D
0040A027|Verifying Organization|X
00384000|Visit Comments|X
00189371|X-Ray Detector ID|D
`

export const BASIC_PROFILE: ReadonlyMap<string, ProfileEntry> = new Map(
  TABLE.trim()
    .split('\n')
    .map((line) => {
      const [tag, name, action] = line.split('|') as [string, string, ProfileAction]
      return [tag, { tag, name, action }]
    })
)

/** Group-wide rules of the profile, then the table; null when the profile does not list the attribute. */
export function profileAction(tag: string): ProfileEntry | null {
  const t = tag.toUpperCase()
  const group = parseInt(t.slice(0, 4), 16)
  if (group % 2 === 1) return { tag: t, name: 'Private attribute', action: 'X' }
  if (t.startsWith('50') && group <= 0x50ff) return { tag: t, name: 'Curve Data', action: 'X' }
  if (t.startsWith('60') && group <= 0x60ff) {
    if (t.endsWith('3000')) return { tag: t, name: 'Overlay Data', action: 'X' }
    if (t.endsWith('4000')) return { tag: t, name: 'Overlay Comments', action: 'X' }
  }
  return BASIC_PROFILE.get(t) ?? null
}

/** `00100010` → `(0010,0010)`, the way DICOM documents write tags. */
export const formatTag = (tag: string): string => `(${tag.slice(0, 4).toUpperCase()},${tag.slice(4).toUpperCase()})`
