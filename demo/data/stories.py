# ruff: noqa: E501  (tables, one need or one piece of work a line)
"""What each demo hub's needs analyses found, in the words of its policy, and
the work it commissioned to meet them, over two academic years.

NEEDS, one need a line:
    key | year | priority | title | description | target | measure | baseline | target value
where year is "previous" (the last academic year's analysis) or "current".

WORK, one commission a line:
    stage | need key | partner | title | scope
The stage is one the demo's Pipeline walks a commission to (its first
column), or "call open", "call scoring", "call closed", "call not yet open"
for the hub's calls for proposals, or "live" for more partnerships under way.
The partner is a key of the hub's partners ("-" for the one its scenario
uses); where the hub's commissions go to an open call it is "winner>other",
the two who bid. The scope is what the agreement says the partner delivers.
"""

from __future__ import annotations

HERTS_NEEDS = """
send | previous | high | Too few inclusive ensembles for young people with SEND | Special schools and SENCOs told the consultation that pupils with SEND have few chances to make music with others outside the classroom, and almost none close to home. | Young people with SEND in weekly inclusive ensembles | participants enrolled | 40 | 120
singing | previous | medium | Singing in primary schools has not recovered | Fewer than half of primary schools have a weekly singing assembly or choir; the Hub's singing strategy asks for one in every school. | Primary schools with a weekly choir or singing assembly | schools | 110 | 180
progression | previous | medium | Gaps in progression for young brass and string players | Players leave whole-class tuition with no ensemble to join in Stevenage, Hemel Hempstead and the Broxbourne villages. | Young people moving from whole-class tuition into an ensemble | players | 60 | 150
send2 | current | high | Young people with SEND still cannot reach ensembles near home | The 2026/27 consultation found the new inclusive groups full and families in the east of the county travelling an hour. | Young people with SEND in weekly inclusive ensembles | participants enrolled | 120 | 200
tech | current | high | Music technology and production for 14 to 18 year olds | Young people asked for production, songwriting and DJ skills; few secondary schools can offer them after Year 9. | Young people in weekly music technology sessions | participants | 35 | 140
early | current | medium | Music for the under-fives in children's centres | Children's centres in Watford, Dacorum and Three Rivers have no regular music; early years staff want training. | Early years settings with weekly music sessions | settings | 12 | 45
cpd | current | low | Classroom teachers lack confidence to teach music | Primary teachers asked for practical CPD on the model music curriculum and on adapting lessons for pupils with SEND. | Teachers completing the Hub's CPD programme | teachers | 30 | 120
"""

HERTS_WORK = """
Need identified | send2 | - | Inclusive music-making in the east of the county | Weekly inclusive ensemble sessions in Bishop's Stortford, Ware and Hertford for young people with SEND, with transport support for families.
Identifying a partner | tech | - | Music production pathway for 14 to 18 year olds | A weekly after-school production and songwriting club in four secondary schools, leading to a showcase and an Arts Award.
Drafting the agreement | send2 | - | Inclusive ensembles in Stevenage and Hitchin | Two weekly inclusive ensembles for young people with SEND in Stevenage and Hitchin, each with a lead tutor, a support musician and adapted instruments, and a termly sharing concert for families.
Returned to draft | early | early | Early years music in children's centres | Forty-minute music sessions for under-fives and their carers in eight children's centres, and two training days for early years staff.
Awaiting approval | cpd | beats | Model music curriculum CPD for primary teachers | Six twilight CPD sessions for primary teachers on the model music curriculum, with classroom resources and a follow-up visit.
Approved, awaiting signature | send2 | - | Saturday inclusive orchestra | A Saturday-morning inclusive orchestra at the Hub's music centre in Welwyn Garden City, for thirty young people with SEND and their peers.
Signed by the partner | tech | - | Adaptive music technology for special schools | Switch-accessible instruments, iPads and weekly sessions led by a specialist in four special schools, with training for school staff.
Signed and active | send | - | Inclusive ensembles for young people with SEND | Weekly inclusive ensemble sessions in four special schools and a Saturday group at the music centre, with adapted instruments and a sharing concert for families each term.
Completed | singing | early | Singing strategy: choirs in every primary school | A singing leader in thirty primary schools for a term each, helping each school start a choir that continues without the Hub.
Decommissioning recommended | progression | beats | Holiday rock and pop school | A week-long rock and pop school in each holiday for 11 to 16 year olds, ending in a gig.
Decommissioning awaiting decision | progression | soundwaves | Ensemble progression in the Broxbourne villages | A weekly beginners' ensemble for brass and string players leaving whole-class tuition in the Broxbourne villages.
Decommissioning approved | singing | beats | Songwriting in secondary schools | A songwriting residency in six secondary schools, each ending in a recorded EP.
Decommissioned | progression | early | Stevenage junior string orchestra | A weekly junior string orchestra in Stevenage for players in their first three years.
Withdrawn | singing | - | Singing in care homes with primary pupils | Primary school choirs visiting care homes each term, led by a singing leader.
With the board for comment | send2 | - | Inclusive ensembles in Hemel Hempstead | A weekly inclusive ensemble for young people with SEND in Hemel Hempstead, with a lead tutor, a support musician and adapted instruments.
Decommissioning with the board | progression | beats | Beatboxing and vocal percussion clubs | Lunchtime beatboxing clubs in eight secondary schools.
call open | tech | tabla>beats | Music technology hubs in Watford and Dacorum | Two weekly music technology and production groups for 14 to 18 year olds in Watford and Dacorum, open to beginners.
call scoring | early | tabla>beats | Early years music training for practitioners | A programme of training and mentoring for early years practitioners, so that every setting in three districts leads its own music sessions.
call closed | cpd | tabla>beats | Instrumental teaching for teaching assistants | Training for teaching assistants to support whole-class instrumental lessons.
call not yet open | send2 | tabla>beats | South Asian music for schools | Tabla, harmonium and vocal workshops in twelve primary schools, leading to a joint performance.
live | cpd | switched | SEND CPD for music teachers | Termly training for the county's instrumental teachers on adapting lessons for pupils with SEND, and a resource bank.
live | early | babysong | Music for the under-fives in Watford | Weekly music sessions for under-fives and their carers in four Watford children's centres.
live | progression | hitchinbrass | Brass progression ensembles | Two weekly brass ensembles for players leaving whole-class tuition, in Hitchin and Letchworth.
"""

KENT_NEEDS = """
funded | previous | high | Funded Opportunities reach too few schools | Whole-class ensemble teaching is bought by only a third of primary schools in Thanet, Swale and Medway. | Primary schools taking up Funded Opportunities | schools | 140 | 220
instruments | previous | medium | Instruments for learners who cannot buy their own | Families told the consultation that buying an instrument is the main reason children stop after whole-class lessons. | Instruments on loan to learners | instruments | 600 | 1100
send | current | high | Out-of-school music for young people with SEND | Music centres have few places that young people with SEND can take up; parents want inclusive groups on Saturdays. | Young people with SEND in out-of-school music | participants | 25 | 90
cpd | current | medium | Professional development for classroom music teachers | The Lead Schools Advisory Group asked for CPD on the model music curriculum and on assessment. | Teachers attending the Hub's professional development | teachers | 80 | 200
research | current | low | Evidence of what keeps young people playing | The Board wants research on why learners stop between Year 6 and Year 8, to plan progression. | Research reports delivered | reports | 0 | 1
"""

KENT_WORK = """
Need identified | send | - | Saturday inclusive music centre places | Inclusive ensemble places for young people with SEND at three Saturday music centres, with trained support staff.
Identifying a partner | research | - | Research: why learners stop between Year 6 and Year 8 | A study of thirty schools' learners, with interviews and a report for the Board on keeping young people playing.
Drafting the agreement | funded | - | Whole-class strings in Medway primary schools | Whole-class violin and cello teaching for Year 4 in twelve Medway primary schools, with a progression ensemble each term.
Returned to draft | instruments | research | Instrument library for Thanet and Swale | An instrument library with two hundred instruments for learners in Thanet and Swale, with repairs and a loan scheme for families on low incomes.
Awaiting approval | funded | - | Chamber music coaching for Medway secondary schools | Weekly chamber music coaching by Medway Youth Strings tutors in six Medway secondary schools, with a showcase each term.
Approved, awaiting signature | funded | - | Medway Youth Strings: schools' orchestra days | Four orchestra days for primary string players from Medway schools, led by the Medway Youth Strings tutors.
Signed by the partner | instruments | - | Medway string instrument loans | String instruments loaned to Medway learners for their first two years, with fitting and care sessions.
Signed and active | funded | - | Medway Youth Strings: progression ensembles | Weekly progression string ensembles in Chatham and Gillingham for players leaving whole-class tuition, with a concert each term.
Completed | research | research | Evaluation of the Hub's Funded Opportunities | An evaluation of the 2025/26 Funded Opportunities programme, with a report for the Board of Kent Music.
Decommissioning recommended | instruments | qa | Instrument maintenance visits | Visits to schools to check and repair the Hub's instruments.
Decommissioning awaiting decision | funded | medway | Strings in rural primary schools | Whole-class strings in six rural primary schools in the Weald.
Decommissioning approved | cpd | research | Assessment CPD for secondary music teachers | Three CPD sessions on assessment at Key Stage 3 for secondary music teachers.
Decommissioned | funded | qa | Singing assemblies in Sheppey primary schools | A singing leader for weekly assemblies in Sheppey primary schools.
Withdrawn | send | - | Inclusive music summer school | A week-long inclusive summer school for young people with SEND.
With the board for comment | send | - | Inclusive strings group in Chatham | A weekly inclusive string group in Chatham for young people with SEND, with adapted bows and instruments.
Decommissioning with the board | instruments | research | Instrument purchasing advice for schools | Advice to schools on buying instruments in line with the capital grant guidance.
call open | send | coastal>medway | Inclusive drumming and percussion groups | Weekly inclusive drumming and percussion groups for young people with SEND in Folkestone, Dover and Ramsgate.
call scoring | cpd | coastal>medway | Music technology CPD for secondary teachers | A year of music technology CPD for secondary music teachers, with equipment to borrow and online follow-up.
call closed | funded | coastal>medway | African drumming for Funded Opportunities | Whole-class African drumming in twenty primary schools.
call not yet open | research | coastal>medway | Quality assurance visitors for 2027 | Individual quality assurance visitors, on open application, to visit Funded Opportunities lessons.
live | send | ashfordsend | Inclusive music groups in Ashford | Weekly inclusive music groups for young people with SEND in Ashford, with a termly sharing event.
live | instruments | instrumentbank | Instrument bank for Kent learners | A loan scheme for five hundred instruments, with repairs, for learners across Kent and Medway.
live | cpd | leadschool | Lead schools music network | Termly network meetings and peer visits for music leads in twenty lead schools.
"""

BLMK_NEEDS = """
luton | previous | high | Too few ensembles for young people in Luton | Luton schools report few chances for pupils to play together beyond whole-class lessons, least of all for pupils with SEND. | Young people in weekly ensembles in Luton | participants enrolled | 40 | 120
singing | previous | medium | Singing across the four areas | Fewer than half of primary schools in Central Bedfordshire and Milton Keynes sing together each week. | Schools with a weekly choir | schools | 60 | 110
send | current | high | Music for young people with SEND across BLMK | Special schools in all four areas asked for specialist music leaders and adapted instruments. | Young people with SEND in weekly music sessions | participants | 50 | 160
tech | current | medium | Music technology and contemporary music | Young people in Luton and Milton Keynes asked for production, rap and band skills. | Young people in contemporary music and technology groups | participants | 45 | 150
early | current | low | Early years music in Central Bedfordshire | Nurseries in Central Bedfordshire have no music provision and want training. | Early years settings with weekly music | settings | 5 | 30
"""

BLMK_WORK = """
Need identified | send | - | Specialist music leaders for Luton special schools | A specialist music leader in each of Luton's special schools for a weekly session, with adapted instruments.
Identifying a partner | tech | - | Rap and production club in Luton | A weekly rap, lyric-writing and production club for 13 to 18 year olds at a Luton youth centre.
Drafting the agreement | luton | - | Luton schools' ensemble programme | Weekly wind, brass and string ensembles in four Luton secondary schools, led by Luton Music Service tutors, with a joint concert each term.
Returned to draft | luton | lutoncarnival | Luton junior steel pans | A weekly junior steel pan group at the Luton music centre for players aged 8 to 12.
Awaiting approval | singing | - | Luton primary singing programme | A singing leader in ten Luton primary schools for a term each, and a massed choir concert.
Approved, awaiting signature | luton | - | Luton Saturday music centre ensembles | Saturday-morning ensembles for beginners to grade 5 at the Luton music centre.
Signed by the partner | send | - | Inclusive ensembles in Luton special schools | Weekly inclusive ensembles in two Luton special schools, with adapted instruments.
Signed and active | luton | - | Ensembles for young people in Luton | Weekly ensembles for young people in Luton schools and a Saturday group at the music centre, open to players with SEND, with a sharing concert each term.
Completed | singing | - | Luton massed choir project | A term of singing in twelve primary schools, ending in a massed choir concert.
Decommissioning recommended | luton | - | Luton brass band for beginners | A weekly beginners' brass band at the Luton music centre.
Decommissioning awaiting decision | luton | - | Luton string orchestra | A weekly string orchestra for Luton's grade 3 to 5 players.
Decommissioning approved | singing | - | Luton youth choir | A weekly youth choir for Luton's secondary pupils.
Decommissioned | luton | lutoncarnival | Carnival band for Luton's young people | A weekly carnival band for young people in Luton, playing at the summer carnival.
Withdrawn | luton | - | Luton summer music school | A week-long summer music school in Luton.
call open | tech | lutonbeats>lutonms | Music technology in Luton youth centres | Weekly music production sessions in three Luton youth centres, open to beginners, with a showcase.
call scoring | send | lutonbeats>lutonms | Adaptive music technology for Luton special schools | Accessible music technology and training for staff in Luton's special schools.
call closed | singing | lutonbeats>lutonms | Gospel and community choirs in Luton | A gospel choir for young people and two community choirs in Luton.
call not yet open | tech | lutonbeats>lutonms | Band skills for Luton secondary schools | Rock and pop band coaching in six Luton secondary schools.
live | send | bedfordsend | Sensory music for Bedford special schools | Weekly sensory music sessions in three Bedford special schools, with training for staff.
live | early | leightonearly | Early years music in Leighton Buzzard nurseries | Weekly music sessions in ten nurseries in Leighton Buzzard and Dunstable, with training for nursery staff.
live | tech | mkrock | Rock and pop bands in Milton Keynes | Weekly band coaching for 12 to 18 year olds in Milton Keynes, with a gig each term.
"""

LEICS_NEEDS = """
send | previous | high | Too few inclusive ensembles for young people with SEND | Special schools and families told the consultation there are few places for young people with SEND to play together. | Young people with SEND in weekly inclusive ensembles | participants enrolled | 40 | 120
singing | previous | medium | Singing in Leicestershire primary schools | Schools in Melton, Harborough and Rutland asked for help to start choirs. | Schools with a weekly choir | schools | 45 | 90
diverse | current | high | Music of the county's communities in schools | The needs analysis found few schools offering the music traditions of Leicester's South Asian, African and Caribbean communities. | Schools with a culturally diverse music programme | schools | 10 | 40
jazz | current | medium | Progression in jazz and contemporary music | Young players want jazz and contemporary ensembles beyond Leicester city centre. | Young people in jazz and contemporary ensembles | participants | 30 | 90
early | current | low | Early years music | Early years settings in Loughborough and Coalville have no regular music. | Settings with weekly music | settings | 6 | 30
"""

LEICS_WORK = """
Need identified | diverse | - | Bhangra and dhol in county primary schools | Dhol and bhangra workshops in twenty county primary schools, leading to a joint performance at the Hub's summer festival.
Identifying a partner | early | - | Early years music in Loughborough and Coalville | Weekly sessions for under-fives in twelve settings, with training for staff.
Drafting the agreement | jazz | leicjazz>bhangra | Jazz ensembles beyond the city centre | Weekly jazz ensembles in Loughborough, Hinckley and Market Harborough for 11 to 18 year olds, with a big band day each term.
Returned to draft | jazz | leicjazz>bhangra | Jazz improvisation for secondary schools | Improvisation workshops in eight secondary schools.
Awaiting approval | diverse | bhangra>leicjazz | Caribbean and African music in schools | Steel pan and African drumming in ten county primary schools.
Approved, awaiting signature | jazz | leicjazz>bhangra | Leicester Youth Big Band | A weekly youth big band for grade 5+ players from across the county.
Signed by the partner | jazz | leicjazz>bhangra | Jazz summer school | A week-long jazz summer school for 11 to 18 year olds.
Signed and active | jazz | leicjazz>bhangra | Jazz and contemporary ensembles for young people | Weekly jazz and contemporary ensembles for 11 to 18 year olds in Leicester and Loughborough, with a gig each term and a route into the county youth jazz orchestra.
Completed | send | sendleics>leicjazz | Inclusive music workshops in special schools | Music workshops adapted for young people with SEND in four special schools.
Decommissioning recommended | jazz | leicjazz>bhangra | Jazz in the park concerts | Summer concerts by the Hub's youth jazz ensembles.
Decommissioning awaiting decision | jazz | leicjazz>bhangra | Jazz mentoring for young composers | Mentoring for young jazz composers.
Decommissioning approved | singing | charnwood>leicjazz | Community choirs for teenagers in Loughborough | A weekly community choir for teenagers in Loughborough.
Decommissioned | jazz | leicjazz>bhangra | Saturday jazz club | A Saturday jazz club for beginners.
Withdrawn | jazz | - | Jazz festival schools' day | A schools' day at the city jazz festival.
Terminated for safeguarding | jazz | leicjazz>bhangra | Youth jazz tour | A tour by the youth jazz ensemble to three towns.
call open | diverse | leicjazz>bhangra | South Asian music in county schools | Bhangra, dhol and tabla programmes in county primary schools, led by musicians from Leicester's communities.
call scoring | jazz | leicjazz>bhangra | Contemporary music ensembles in Hinckley | A weekly contemporary music ensemble in Hinckley for 13 to 18 year olds.
call closed | singing | leicjazz>bhangra | Choirs for Melton primary schools | A singing leader to start choirs in eight Melton primary schools.
call not yet open | early | leicjazz>bhangra | Early years music training | Training for early years practitioners in Loughborough and Coalville.
live | send | sendleics>charnwood | Inclusive ensembles for young people with SEND | Weekly inclusive ensembles in three special schools, with adapted instruments.
live | singing | charnwood>meltonsing | Choirs in Charnwood primary schools | A singing leader in ten Charnwood primary schools for a term each, and a massed choir.
live | diverse | bhangra>sitarschool | Bhangra in Leicester secondary schools | Weekly bhangra and dhol sessions in four Leicester secondary schools.
"""

CONSORTIUM_NEEDS = """
ensembles | previous | high | Ensembles and progression across the three counties | Players in the north district leave whole-class tuition with nowhere to play together. | Young people in weekly ensembles | participants enrolled | 40 | 120
early | previous | medium | Early years music education | Early years settings asked for music specialists and training. | Settings with weekly music | settings | 8 | 40
send | current | high | Specialist music for children and young people with SEND | The consultation asked for specialist partners working with children with SEND in every district. | Young people with SEND in weekly music | participants | 30 | 120
tech | current | medium | Music technology | Secondary schools asked for music technology beyond Key Stage 3. | Young people in music technology sessions | participants | 20 | 100
workforce | current | medium | Workforce development | The Hub Board asked for a strategic partner for workforce development and research. | Teachers completing CPD | teachers | 40 | 150
"""

CONSORTIUM_WORK = """
Need identified | send | - | Specialist SEND music in the south district | Weekly specialist music sessions in the south district's special schools.
Identifying a partner | workforce | - | Workforce development partner | A strategic partner to plan and deliver the Hub's CPD for music teachers, with research on its impact.
Drafting the agreement | ensembles | countyms>mtech | County youth ensembles | Weekly county youth orchestra, wind band and choir rehearsals, with a residential course and two concerts a year.
Returned to draft | ensembles | northms>countyms | North district area bands | Weekly area bands in the north district for players leaving whole-class tuition.
Awaiting approval | early | earlyyears>countyms | Early years music specialists | A music specialist visiting twenty early years settings each week.
Approved, awaiting signature | ensembles | countyms>mtech | Ensemble progression days | Termly progression days for young players across the three counties.
Signed by the partner | ensembles | countyms>mtech | Youth orchestra residential course | A four-day residential course for the county youth orchestra.
Signed and active | ensembles | countyms>mtech | Ensembles and progression for young people | Weekly ensembles in each district for young people leaving whole-class tuition, with progression into the county youth orchestra and wind band.
Completed | early | earlyyears>mtech | Early years music training | Training for early years practitioners in the three counties.
Decommissioning recommended | ensembles | countyms>mtech | Saturday music centre in the east | A Saturday music centre in the east of the consortium area.
Decommissioning awaiting decision | ensembles | countyms>mtech | Junior jazz band | A weekly junior jazz band.
Decommissioning approved | early | earlyyears>countyms | Parent and toddler music groups | Weekly parent and toddler music groups in libraries.
Decommissioned | ensembles | countyms>mtech | Brass band for beginners | A weekly beginners' brass band.
Withdrawn | ensembles | - | Summer orchestra course | A week-long summer orchestra course.
call open | tech | countyms>mtech | Music technology in secondary schools | Music technology and production in eight secondary schools, with equipment and training for staff.
call scoring | send | countyms>mtech | SEND music specialists | Specialist music leaders for children with SEND in the three counties.
call closed | early | countyms>mtech | Early years music in libraries | Music for under-fives in twelve libraries.
call not yet open | workforce | countyms>mtech | Research and evaluation partner | A partner to evaluate the Hub's programmes and publish its findings.
live | send | northms>earlyyears | Inclusive ensembles in the north district | Weekly inclusive ensembles in the north district's special schools.
live | early | earlyyears>mtech | Early years music in the three counties | Weekly music sessions in twenty early years settings, with training for staff.
live | workforce | uni>mtech | Research and CPD for music teachers | A programme of CPD for music teachers, with research on its impact published each year.
"""

STORIES: dict[str, tuple[str, str]] = {
    "herts": (HERTS_NEEDS, HERTS_WORK),
    "kent": (KENT_NEEDS, KENT_WORK),
    "blmk": (BLMK_NEEDS, BLMK_WORK),
    "leics": (LEICS_NEEDS, LEICS_WORK),
    "consortium": (CONSORTIUM_NEEDS, CONSORTIUM_WORK),
}
