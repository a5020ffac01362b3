# ruff: noqa: E501  (a table, one partner a line)
"""The rest of each demo hub's partners, beyond the five its scenario uses:
the kinds of organisation its published policy names (specialist, culturally
diverse, local and strategic partners), each with a named contact.

Every name is made up. One partner a line:
key | name | organisation type | partnership type | reach | specialisms | contact | extras
where specialisms are separated by ";" and extras are words: "existing",
"consortium", "charity=NUMBER", "company=NUMBER", "area=NAME" (BLMK's service
areas, "_" for a space) and "met=YYYY-MM-DD" (the introductory meeting).
"""

from __future__ import annotations

HERTS = """
steelband | Watford Community Steel Band | community | delivery | local | Non-Western traditions | Marcia Joseph | existing
fenstrings | Lea Valley Youth Strings CIC | company | delivery | local | Ensembles | Tom Hargreaves | existing company=11843276
stalbanschoir | Verulam Girls' Choir Trust | charity | delivery | local | Singing | Helen Ashworth | existing charity=1164532
switched | Switched On Sound: adaptive music for SEND | charity | delivery | regional | SEND;Music technology | Priya Raman | existing charity=1178210
stevenagejazz | Stevenage Jazz Workshop | community | delivery | local | Contemporary music | Dele Okafor
hitchinbrass | Hitchin & District Brass Academy | charity | delivery | local | Ensembles | Graham Pye | existing charity=1102847
hertsuni | University of Mid-Hertfordshire School of Creative Arts | higher_education | strategic | regional | Workforce development;Research and evaluation | Dr Ruth Castellano
hemelrock | Hemel Rock & Pop Collective | company | delivery | local | Contemporary music | Kieran Walsh | company=12093384
babysong | Lullaby Lane Herts | company | delivery | local | Early years | Sophie Lindqvist | existing company=13377120
ittherts | Three Rivers ITT Music Partnership | school | strategic | regional | Workforce development | Anita Desai
dacorumbhangra | Dacorum Dhol & Bhangra Group | community | delivery | local | Non-Western traditions | Harjit Sandhu
hertsfolk | Hertfordshire Folk Roots | charity | delivery | local | Singing;Non-Western traditions | Ellen Marsh | charity=1190045
broxbourne | Broxbourne Schools Music Trust | school | delivery | local | Ensembles | Martin Cole | existing
tuitionhq | Harpenden Piano & Keyboard Studio | individual | delivery | local |  | Lucy Barnes
touringopera | Chiltern Touring Opera for Schools | charity | strategic | national | Singing | James Whitfield | charity=1056631
"""

KENT = """
thanetsteel | Thanet Steel Orchestra | community | delivery | local | Non-Western traditions | Winston Clarke | existing
medwaysings | Medway Sings Community Choirs | charity | delivery | local | Singing | Claire Dunmore | existing charity=1171039
ashfordsend | Ashford Inclusive Music Project | charity | delivery | local | SEND | Nadia Hussain | existing charity=1183321
folkestonebeat | Folkestone Beatmakers CIC | company | delivery | local | Music technology | Ryan Achterberg | company=12665870
canterburylit | Canterbury Little Listeners | company | delivery | local | Early years | Megan Price | company=13002941
swaleband | Swale Youth Concert Band | community | delivery | local | Ensembles | Derek Hollis | existing
leadschool | Weald Lead Schools Music Trust | school | strategic | regional | Workforce development | Fiona Grant | existing
kentcpd | Kent Classroom Music CPD Network | charity | delivery | regional | Workforce development | Paul Ndlovu | charity=1149823
instrumentbank | Garden of England Instrument Bank | charity | delivery | regional | Instrument loans | Susan Ferris | existing charity=1120476
bursaryfund | Maidstone Young Musicians' Bursary Fund | charity | delivery | local |  | Alan Prentice | charity=1098455
qa2 | Rosa Bellamy (QA visitor) | individual | delivery | regional |  | Rosa Bellamy | existing
qa3 | Dev Chauhan (QA visitor) | individual | delivery | regional |  | Dev Chauhan
dovergig | Dover Youth Gig Nights | community | delivery | local | Contemporary music | Liam Foster
sevenoakschamber | Sevenoaks Chamber Music Circle | charity | delivery | local | Ensembles | Catherine Lowe | charity=1077314
eastkentcoll | East Kent College of Music and Media | higher_education | strategic | regional | Music technology;Workforce development | Dr Owen Pritchard
"""

BLMK = """
bedfordsend | Bedford Sensory Sound Charity | charity | delivery | local | SEND | Grace Oyelaran | existing area=Bedford_Borough charity=1176544
bedfordyo | Bedford Borough Youth Orchestra | charity | delivery | local | Ensembles | Edward Lyle | existing area=Bedford_Borough charity=1088120
ousesingers | Great Ouse Children's Singers | community | delivery | local | Singing | Rachel Hume | area=Bedford_Borough
dunstablerock | Dunstable Rock Project CIC | company | delivery | local | Contemporary music | Jordan Mills | area=Central_Bedfordshire company=12287733
leightonearly | Leighton Tiny Musicians | company | delivery | local | Early years | Hannah Cross | existing area=Central_Bedfordshire company=13554102
cbms | Central Bedfordshire Music Service | local_authority | strategic | local | Ensembles | Karen Whitlock | existing area=Central_Bedfordshire consortium
bedfordms | Bedford Borough Music Service | local_authority | strategic | local | Ensembles | Ian Marlowe | existing area=Bedford_Borough consortium
mkms | Milton Keynes Music Service | local_authority | strategic | local | Ensembles | Shabana Iqbal | existing area=Milton_Keynes consortium
lutondhol | Luton Dhol Academy | community | delivery | local | Non-Western traditions | Gurpreet Bains | area=Luton
lutoncarnival | Luton Carnival Arts Music Collective | charity | delivery | local | Non-Western traditions | Andre Baptiste | existing area=Luton charity=1132287
mkgospel | Milton Keynes Youth Gospel Choir | community | delivery | local | Singing | Blessing Adeyemi | area=Milton_Keynes
mkdigital | MK Digital Music Lab Ltd | company | delivery | regional | Music technology | Chris Harland | area=Milton_Keynes company=11920345
mkuni | Milton Keynes Institute of Music Education | higher_education | strategic | regional | Workforce development;Research and evaluation | Prof Alison Reid | area=Milton_Keynes
sandystrings | Sandy & Biggleswade String Club | community | delivery | local | Ensembles | Joan Tilbury | area=Central_Bedfordshire
bedfordlibrary | Bedford Instrument Library | charity | delivery | local | Instrument loans | Neil Draper | area=Bedford_Borough charity=1144719
"""

LEICS = """
loughsend | Loughborough Accessible Music Collective | charity | delivery | local | SEND;Music technology | Aisha Patel | existing met=2024-01-18 charity=1181106
hinckleybrass | Hinckley Youth Brass Band | community | delivery | local | Ensembles | Stuart Needham | existing met=2023-10-04
meltonsing | Melton Mowbray Singing Schools | charity | delivery | local | Singing | Joanna Peel | met=2025-01-22 charity=1192384
leicearly | Little Leicester Music Makers | company | delivery | local | Early years | Katie Brennan | existing met=2024-03-06 company=12990553
sitarschool | Belgrave Sitar & Tabla School | community | delivery | local | Non-Western traditions | Rajesh Mistry | met=2025-04-02
leicla | Leicester City Council Education Services | local_authority | strategic | local | Workforce development | Michelle Okoro | existing met=2023-09-12
demontfort | Leicester College of Performing Arts | higher_education | strategic | regional | Research and evaluation;Workforce development | Dr Simon Vaughan | existing met=2023-09-27
coalvillegig | Coalville Youth Music Studios | company | delivery | local | Contemporary music;Music technology | Ben Astley | met=2025-05-14 company=13120764
marketharb | Market Harborough Schools Orchestra Trust | charity | delivery | local | Ensembles | Elizabeth Swann | met=2024-11-05 charity=1087330
eastmidsyouth | East Midlands Youth Music Network | charity | strategic | regional | Ensembles;Workforce development | Mark Rowley | met=2024-02-21 charity=1154478
rutlandfolk | Rutland & Leicestershire Folk Arts | community | delivery | local | Singing;Non-Western traditions | Amy Fairbrother
academytrust | Soar Academies Trust Music Network | school | delivery | local | Ensembles | Daniel Whitby | met=2025-06-09
oadbydrum | Oadby Samba & Drum Circle | community | delivery | local | Non-Western traditions | Lara Gomes | met=2025-09-16
industrylinks | Midlands Music Industry Futures Ltd | company | strategic | regional | Contemporary music | Tariq Malik | met=2025-02-26 company=11455098
wigstonvoices | Wigston Inclusive Voices | community | delivery | local | Singing;SEND | Nicola Hart | met=2025-10-01
"""

CONSORTIUM = """
southms | South District Music Service | local_authority | delivery | local | Ensembles | Peter Langley | existing consortium
sendspecialist | Meadowbank Inclusive Ensemble Trust | charity | delivery | regional | SEND | Zara Whitehead | charity=1185562
adaptivetech | Adaptive Instruments Workshop CIC | company | delivery | national | SEND;Music technology | Oliver Kemp | company=12744019
shirecathedral | Midshire Cathedral Choir School Outreach | school | delivery | local | Singing | Revd Anne Holloway | charity=1012987
samba | Three Counties Samba Collective | community | delivery | local | Non-Western traditions | Luis Ferreira
gamelan | Riverside Gamelan Project | charity | delivery | regional | Non-Western traditions | Mei Tanaka | charity=1139008
grime | Northgate Lyricists & Producers CIC | company | delivery | local | Contemporary music;Music technology | Marcus Reid | company=13290451
nurserynotes | Nursery Notes Early Years Music | company | delivery | local | Early years | Jenny Cartwright | company=12001187
countyyo | Three Counties Youth Orchestra | charity | delivery | regional | Ensembles | Robert Ames | existing charity=1065221
workforce | Music Teachers' Development Partnership | charity | strategic | regional | Workforce development | Sarah Doyle | charity=1170093
venue | Corn Exchange Arts Centre Learning Team | charity | strategic | local | Contemporary music | Yusuf Demir | charity=1091840
nationalens | Wayfarer Youth Wind Ensemble (touring) | charity | strategic | national | Ensembles | Victoria Hale | charity=1047752
instrumentloan | Consortium Instrument Loan Scheme | local_authority | delivery | regional | Instrument loans | Gary Simmons | existing consortium
folkcarnival | Eastbrook Folk & Carnival Arts | community | delivery | local | Singing;Non-Western traditions | Molly Byrne
evaluator | Fieldnote Evaluation Associates | company | strategic | national | Research and evaluation | Dr Kwame Asante | company=10877632
"""

EXTRA_PARTNERS: dict[str, str] = {
    "herts": HERTS,
    "kent": KENT,
    "blmk": BLMK,
    "leics": LEICS,
    "consortium": CONSORTIUM,
}
