"""The default question bank loaded into a fresh database by migration 0002.

Written for first-round interviews; recruiters edit, deactivate or extend it in the admin.
Experience bands are whole years, inclusive: a question fits a candidate whose
experience lies in [min_experience, max_experience].
"""

POSITIONS = [
    {
        "slug": "software-engineer",
        "title": "Software Engineer",
        "description": (
            "Builds, tests and runs production software. The first round checks practical "
            "programming fundamentals, debugging habits and, for experienced candidates, system "
            "design."
        ),
    },
    {
        "slug": "data-scientist",
        "title": "Data Scientist",
        "description": (
            "Turns data into models, experiments and decisions. The first round checks statistics, "
            "machine learning judgment, SQL and, for experienced candidates, experimentation and "
            "causal reasoning."
        ),
    },
    {
        "slug": "product-manager",
        "title": "Product Manager",
        "description": (
            "Decides what to build and why, and drives it to launch with engineering and design. "
            "The first round checks prioritisation, metrics, written clarity and stakeholder "
            "judgment."
        ),
    },
]

# Each: position (a slug above), stage ("technical" or "behavioral"), text (the question as the
# interviewer will say it aloud), rubric (what a good answer covers, signals a reviewer looks for,
# and a common weak-answer signal), min_experience and max_experience (inclusive, in years).
# List order is the asking order within each position and stage.
QUESTIONS = [
    # software-engineer, technical
    {
        "position": "software-engineer",
        "stage": "technical",
        "text": (
            "Walk me through what happens, as deep as you like, from the moment someone types a "
            "web address into a browser and presses enter until the page appears."
        ),
        "rubric": (
            "A good answer covers DNS resolution, opening a TCP connection and the TLS handshake, "
            "the HTTP request and response, and the browser parsing HTML and fetching further "
            "assets. Signals: mentions caching at some layer (browser, DNS, CDN), knows roughly "
            "where time is spent, and goes deeper where they are strongest. Weak answers jump "
            "straight from typing the address to the server and cannot name any step in between."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "software-engineer",
        "stage": "technical",
        "text": (
            "How does a hash map work under the hood? Tell me what happens when two keys land in "
            "the same bucket, and what the cost of a lookup is."
        ),
        "rubric": (
            "Covers hashing a key to a bucket index, collision handling by chaining or open "
            "addressing, and resizing when the load factor grows. Signals: explains average "
            "constant-time lookup versus the linear worst case, and why keys must be immutable or "
            "have a stable hash and equality. A weak answer says lookups are always constant time "
            "and cannot say what a collision is."
        ),
        "min_experience": 0,
        "max_experience": 3,
    },
    {
        "position": "software-engineer",
        "stage": "technical",
        "text": (
            "An API endpoint that used to respond in about 200 milliseconds now takes two seconds "
            "at the 99th percentile, starting sometime last week. How would you investigate it?"
        ),
        "rubric": (
            "A strong answer starts from data: confirms the regression in metrics, lines it up "
            "with deploys, config or traffic changes, and narrows it down with tracing or "
            "profiling. Signals: checks database query plans and N+1 queries, lock contention, "
            "downstream calls and resource saturation, and distinguishes tail latency from the "
            "average. A weak answer guesses a fix such as adding a cache before measuring "
            "anything."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    {
        "position": "software-engineer",
        "stage": "technical",
        "text": (
            "Say you have an unsorted list of a million integers and need to find all the values "
            "that appear more than once. How would you do it, and what are the time and space "
            "costs?"
        ),
        "rubric": (
            "Good answers compare a hash set pass, linear time with linear extra memory, against "
            "sorting then scanning adjacent values, n log n time with little extra memory. "
            "Signals: states the complexity of each approach correctly and mentions what changes "
            "if the data does not fit in memory. A weak answer only offers the nested-loop "
            "approach and does not see that it is quadratic."
        ),
        "min_experience": 0,
        "max_experience": 3,
    },
    {
        "position": "software-engineer",
        "stage": "technical",
        "text": (
            "How do you decide what to test in a piece of code you are writing, and how do you "
            "split those tests between unit, integration and end-to-end tests?"
        ),
        "rubric": (
            "Looks for a reasoned balance: fast unit tests for logic and edge cases, integration "
            "tests around real boundaries such as the database or external APIs, and a few "
            "end-to-end tests for critical user paths. Signals: talks about risk, flaky tests, "
            "test speed and testing behaviour rather than implementation details. A weak answer is "
            "a blanket rule such as aiming for 100 percent coverage with no view on what the tests "
            "actually protect."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "software-engineer",
        "stage": "technical",
        "text": (
            "Let's design a URL shortener like bit.ly. Walk me through how you would generate the "
            "short codes, store the mappings, and handle a very high volume of redirects."
        ),
        "rubric": (
            "Covers the short-code scheme (counter with base62 encoding, or random codes with "
            "collision checks), a key-value or relational store keyed by code, and a read-heavy "
            "path with caching and possibly a CDN. Signals: asks about scale and requirements "
            "first, considers custom aliases, expiry, abuse and analytics, and explains how to "
            "avoid a single counter becoming a bottleneck. A weak answer jumps to a specific "
            "database with no reasoning about the read-to-write ratio or the size of the key "
            "space."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    {
        "position": "software-engineer",
        "stage": "technical",
        "text": (
            "What is a database index, and can you think of a situation where adding an index "
            "would make things slower rather than faster?"
        ),
        "rubric": (
            "A good answer explains an index as a separate sorted structure, usually a B-tree, "
            "that lets the database find rows without scanning the whole table. Signals: knows "
            "indexes slow down inserts and updates and use storage, and that low-selectivity "
            "columns or queries that read most of the table gain little. A weak answer says "
            "indexes always make the database faster."
        ),
        "min_experience": 0,
        "max_experience": 3,
    },
    {
        "position": "software-engineer",
        "stage": "technical",
        "text": (
            "Two customers try to book the last seat on a flight at the same moment. How would you "
            "make sure the seat is not sold twice, and what trade-offs come with your approach?"
        ),
        "rubric": (
            "Strong answers name concrete mechanisms: a database transaction with a row lock such "
            "as select for update, optimistic concurrency with a version column, or a unique "
            "constraint that lets the database reject the second booking. Signals: discusses lock "
            "contention, retries, timeouts for held reservations, and why a check-then-write in "
            "application code is a race. A weak answer checks availability and then writes, "
            "without seeing the gap between the two steps."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    {
        "position": "software-engineer",
        "stage": "technical",
        "text": (
            "What is the difference between a process and a thread, and what is a race condition? "
            "Give me an example of one and how you would fix it."
        ),
        "rubric": (
            "Covers processes having separate memory while threads share memory inside one "
            "process, and a race condition as a result that depends on the timing of concurrent "
            "access to shared state. Signals: a concrete example such as two threads incrementing "
            "a shared counter, and fixes such as a lock, an atomic operation or avoiding shared "
            "state. A weak answer cannot give an example or treats threads and processes as the "
            "same thing."
        ),
        "min_experience": 0,
        "max_experience": 3,
    },
    {
        "position": "software-engineer",
        "stage": "technical",
        "text": (
            "You need to rename a column in a busy production table without any downtime while the "
            "old version of the app is still running. How would you roll that out?"
        ),
        "rubric": (
            "Looks for the expand-and-contract pattern: add the new column, write to both, "
            "backfill in batches, switch reads, then drop the old column in a later release. "
            "Signals: mentions table locks during migrations, backfill load on the database, "
            "rollback at each step, and old and new app versions running side by side during a "
            "deploy. A weak answer runs a single rename migration and redeploys."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    # software-engineer, behavioral
    {
        "position": "software-engineer",
        "stage": "behavioral",
        "text": (
            "Tell me about a technical project you are proud of. What was your specific part in "
            "it, and what would you do differently today?"
        ),
        "rubric": (
            "A good answer makes the candidate's own contribution clear, explains the problem and "
            "why it mattered, and gives a concrete outcome. Signals: uses I for their own work "
            "rather than only we, describes real decisions and trade-offs, and gives an honest, "
            "specific reflection. A weak answer describes the team's project in general terms with "
            "no clear personal role."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "software-engineer",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you disagreed with a teammate about a technical approach. How "
            "did you handle it, and how did it end?"
        ),
        "rubric": (
            "Looks for a situation, the actual disagreement, how they argued their case with "
            "evidence or a prototype, and the outcome. Signals: listens to the other view, "
            "separates ego from the decision, and commits to the final call even if it was not "
            "theirs. A weak answer paints the other person as simply wrong, or avoids the conflict "
            "entirely."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "software-engineer",
        "stage": "behavioral",
        "text": (
            "Tell me about a time something you built or changed broke in production or caused a "
            "problem for users. What happened, and what did you do afterwards?"
        ),
        "rubric": (
            "A good answer owns the mistake, explains how it was detected and mitigated, and what "
            "was changed afterwards so it would not recur. Signals: blameless framing, concrete "
            "follow-ups such as a test, an alert or a safer rollout process, and an honest account "
            "of their own part. A weak answer blames others or the tools, or claims never to have "
            "broken anything."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "software-engineer",
        "stage": "behavioral",
        "text": (
            "Tell me about a piece of critical feedback you received on your work, for example in "
            "a code review, and what you did with it."
        ),
        "rubric": (
            "Looks for a specific piece of feedback, their initial reaction, and a concrete change "
            "in behaviour that followed. Signals: shows openness rather than defensiveness and can "
            "point to later evidence that the change stuck. A weak answer picks feedback that is a "
            "disguised strength or cannot remember any."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "software-engineer",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you were asked to build something where the requirements were "
            "vague or kept changing. How did you move forward?"
        ),
        "rubric": (
            "A good answer shows the candidate clarifying the goal with the people who asked, "
            "making assumptions explicit, and delivering in small steps to get feedback early. "
            "Signals: writes down decisions, builds something cheap to learn from, and knows when "
            "to push back on scope. A weak answer waits for perfect requirements or builds the "
            "wrong thing and blames the spec."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "software-engineer",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you helped a less experienced engineer grow, or raised the "
            "quality bar for your whole team. What did you actually do?"
        ),
        "rubric": (
            "Looks for concrete actions: pairing, structured code review, delegating a stretch "
            "task with support, or introducing a practice such as design docs or on-call runbooks. "
            "Signals: describes how they adapted to the person, and a measurable or visible change "
            "afterwards. A weak answer is generic, such as being available for questions, with no "
            "example of impact."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    {
        "position": "software-engineer",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you noticed a problem that was not strictly your responsibility, "
            "and decided to do something about it."
        ),
        "rubric": (
            "A good answer shows ownership: they noticed something like a flaky pipeline, missing "
            "monitoring or a confusing process, and fixed it or got it fixed. Signals: balances "
            "this against their own commitments, brings in the owners rather than working around "
            "them, and describes the result. A weak answer either has no example or describes "
            "complaining about the problem without acting."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "software-engineer",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you had to convince another team, or people more senior than "
            "you, to change a technical direction when you had no authority over them."
        ),
        "rubric": (
            "Strong answers show influence through evidence and relationships: a written proposal, "
            "data, a prototype, and understanding what the other side cares about. Signals: "
            "anticipates objections, finds allies, accepts partial wins, and describes the outcome "
            "honestly even if it was not a full win. A weak answer relies on escalating to a "
            "manager or simply insisting until the other side gives in."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    # data-scientist, technical
    {
        "position": "data-scientist",
        "stage": "technical",
        "text": (
            "Explain the bias-variance trade-off in your own words. How would you tell whether a "
            "model you trained is suffering mainly from high bias or from high variance?"
        ),
        "rubric": (
            "Covers bias as error from an overly simple model and variance as sensitivity to the "
            "particular training sample. Signals: uses training versus validation error or "
            "learning curves to diagnose, and names remedies for each such as more features or a "
            "more flexible model for bias, and regularisation or more data for variance. A weak "
            "answer recites definitions but cannot say what they would look at in practice."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "data-scientist",
        "stage": "technical",
        "text": (
            "You receive a dataset where several important columns have missing values. How do you "
            "decide what to do about them?"
        ),
        "rubric": (
            "A good answer first asks why the data is missing, since values missing at random and "
            "values missing for a reason call for different handling. Signals: compares dropping "
            "rows, simple imputation, model-based imputation and adding a missingness indicator, "
            "and mentions fitting imputation on training data only. A weak answer always fills "
            "missing values with the mean without looking at the data."
        ),
        "min_experience": 0,
        "max_experience": 3,
    },
    {
        "position": "data-scientist",
        "stage": "technical",
        "text": (
            "A product manager asks you to build a model that predicts which customers will churn. "
            "Before writing any code, how would you scope the problem and decide whether a model "
            "is even the right answer?"
        ),
        "rubric": (
            "Strong answers start from the decision the model will drive: who acts on the "
            "prediction, with what intervention, and what a wrong prediction costs. Signals: "
            "defines churn precisely and the prediction horizon, checks data availability, "
            "proposes a simple baseline or rule first, and agrees on how success will be measured. "
            "A weak answer jumps to choosing an algorithm."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    {
        "position": "data-scientist",
        "stage": "technical",
        "text": (
            "You are building a fraud model where only half a percent of transactions are fraud. "
            "Why is accuracy a poor metric here, and what would you use instead?"
        ),
        "rubric": (
            "Covers the fact that predicting no fraud for everything already scores 99.5 percent "
            "accuracy. Signals: proposes precision, recall, the precision-recall curve or its "
            "area, and choosing a threshold from the business cost of false positives versus "
            "missed fraud; may mention resampling or class weights. A weak answer suggests ROC AUC "
            "alone without noticing how it can look good under heavy imbalance, or cannot connect "
            "the metric to business cost."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "data-scientist",
        "stage": "technical",
        "text": (
            "Imagine a table of orders with a user ID, an order date and an amount. How would you "
            "write a SQL query that returns each user's second order? Talk me through it."
        ),
        "rubric": (
            "A good answer uses a window function such as row_number partitioned by user and "
            "ordered by order date, then filters on a row number of 2 in an outer query or CTE. "
            "Signals: explains why the filter cannot go in the same where clause, and raises ties "
            "on the same date and the choice between row_number, rank and dense_rank. A weak "
            "answer attempts a correlated subquery or group by that does not actually return the "
            "second order."
        ),
        "min_experience": 0,
        "max_experience": 3,
    },
    {
        "position": "data-scientist",
        "stage": "technical",
        "text": (
            "We want to test a redesigned checkout page. Walk me through how you would design that "
            "A/B test, from choosing the metric to deciding when to stop it."
        ),
        "rubric": (
            "Covers a primary metric such as conversion, guardrail metrics such as revenue per "
            "visitor or refunds, the randomisation unit, and a power calculation for the minimum "
            "detectable effect to set sample size and duration. Signals: runs full weekly cycles, "
            "warns against peeking and stopping early, checks for sample ratio mismatch, and "
            "mentions novelty effects. A weak answer runs the test until the result looks "
            "significant."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    {
        "position": "data-scientist",
        "stage": "technical",
        "text": (
            "How would you explain what a p-value is to a colleague who is not a statistician? And "
            "what does it not tell you?"
        ),
        "rubric": (
            "A good answer says it is the probability of seeing a result at least as extreme as "
            "the observed one if there were really no effect. Signals: clarifies it is not the "
            "probability that the hypothesis is true, and that it says nothing about the size or "
            "practical importance of the effect. A weak answer says a p-value of 0.05 means a 95 "
            "percent chance the result is real."
        ),
        "min_experience": 0,
        "max_experience": 3,
    },
    {
        "position": "data-scientist",
        "stage": "technical",
        "text": (
            "Users who turn on a new notifications feature retain much better than users who "
            "don't. Leadership wants to conclude the feature causes retention. How would you "
            "estimate the real effect?"
        ),
        "rubric": (
            "Strong answers name self-selection as the main problem: engaged users are more likely "
            "to opt in. Signals: proposes a randomised experiment or encouragement design where "
            "possible, and otherwise methods such as matching or propensity scores, "
            "difference-in-differences around the launch, or instrumental variables, stating each "
            "method's assumptions. A weak answer controls for a few variables in a regression and "
            "calls the result causal."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    {
        "position": "data-scientist",
        "stage": "technical",
        "text": (
            "Your first churn model gets an AUC of 0.99 on the validation set. What would you "
            "suspect, and how would you check it?"
        ),
        "rubric": (
            "A good answer suspects data leakage before celebrating: a feature that encodes the "
            "outcome or is only known after it, or the same users appearing in training and "
            "validation. Signals: checks feature importances, timestamps of when features become "
            "available, and uses a time-based or grouped split. A weak answer accepts the score "
            "and moves on to deployment."
        ),
        "min_experience": 0,
        "max_experience": 3,
    },
    {
        "position": "data-scientist",
        "stage": "technical",
        "text": (
            "A model that performed well at launch has slowly become worse over six months in "
            "production. How would you detect that kind of problem and what would you do about it?"
        ),
        "rubric": (
            "Covers monitoring input feature distributions, prediction distributions and, when "
            "labels arrive, actual performance, and separating data drift from concept drift. "
            "Signals: mentions delayed labels, alert thresholds, upstream pipeline changes as a "
            "common cause, and a retraining policy with validation before redeploying. A weak "
            "answer just retrains on a schedule without understanding why performance dropped."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    # data-scientist, behavioral
    {
        "position": "data-scientist",
        "stage": "behavioral",
        "text": (
            "Tell me about an analysis or model you worked on that actually changed a decision. "
            "What was the decision, and what was your part in it?"
        ),
        "rubric": (
            "A good answer links the work to a concrete business decision and outcome, and makes "
            "the candidate's own contribution clear. Signals: explains the question, the method "
            "chosen and why, and how the result was communicated to the people deciding. A weak "
            "answer describes technical work with no evidence that anyone used it."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "data-scientist",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you had to explain a technical or statistical result to people "
            "without a data background. How did you make sure it landed?"
        ),
        "rubric": (
            "Looks for tailoring the message to the audience: leading with the recommendation, "
            "using plain language and a clear visual, and being honest about uncertainty. Signals: "
            "checked understanding, answered follow-up questions, and the audience acted on it. A "
            "weak answer reads out model metrics or blames the audience for not understanding."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "data-scientist",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you found a mistake in an analysis after you had already shared "
            "it. What did you do?"
        ),
        "rubric": (
            "A good answer shows the candidate raising the mistake quickly and openly, correcting "
            "the numbers, and telling the people who had relied on them. Signals: assesses whether "
            "any decision was affected, and adds a safeguard such as a check, a peer review or a "
            "test on the pipeline. A weak answer hides or minimises the error, or claims never to "
            "have made one."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "data-scientist",
        "stage": "behavioral",
        "text": (
            "Tell me about a time a stakeholder expected the data to support a conclusion it "
            "didn't support. How did you handle it?"
        ),
        "rubric": (
            "Looks for integrity combined with tact: presenting the evidence clearly, "
            "understanding what the stakeholder was trying to achieve, and offering what the data "
            "does support. Signals: does not bend the analysis, but stays constructive and keeps "
            "the relationship. A weak answer either gives in and reframes the results, or "
            "dismisses the stakeholder."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "data-scientist",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you were handed a very open-ended question, something like find "
            "out why sales dropped. How did you turn it into something you could actually answer?"
        ),
        "rubric": (
            "A good answer breaks the vague question into hypotheses, prioritises them by "
            "likelihood and ease of checking, and agrees the scope and deadline with the person "
            "asking. Signals: shares early findings to refine direction and knows when the answer "
            "is good enough. A weak answer disappears into exploratory analysis for weeks without "
            "a plan."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "data-scientist",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you convinced a team or a leader to change their roadmap or "
            "approach based on data, when you had no authority over their decision."
        ),
        "rubric": (
            "Strong answers show building the case with evidence, understanding the other side's "
            "incentives, and bringing people along through early previews rather than a surprise "
            "presentation. Signals: anticipates objections, accepts partial adoption, and gives "
            "the outcome honestly. A weak answer relies on escalation or assumes the data will "
            "speak for itself."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    {
        "position": "data-scientist",
        "stage": "behavioral",
        "text": (
            "Tell me about the most useful critical feedback you have received on your work, and "
            "what you changed because of it."
        ),
        "rubric": (
            "Looks for a specific piece of feedback, an honest account of their initial reaction, "
            "and a lasting change in how they work. Signals: self-awareness and evidence that the "
            "change stuck. A weak answer offers a disguised strength such as working too hard, or "
            "cannot recall any feedback."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "data-scientist",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you mentored a junior analyst or data scientist, or set a "
            "standard that improved the quality of your team's work."
        ),
        "rubric": (
            "Looks for concrete actions such as reviewing analyses, introducing code review for "
            "notebooks, shared metric definitions or an experiment checklist. Signals: adapts to "
            "the person, and can point to a visible improvement afterwards. A weak answer is "
            "generic, such as answering questions when asked."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    # product-manager, technical
    {
        "position": "product-manager",
        "stage": "technical",
        "text": (
            "You have twenty feature requests from customers, sales and engineering, and capacity "
            "for about three this quarter. How do you decide which three to build?"
        ),
        "rubric": (
            "A good answer ties priorities to a clear goal or strategy first, then weighs impact, "
            "confidence, effort and risk, possibly with a framework such as RICE. Signals: "
            "questions what is really behind each request, considers cheaper ways to learn, and "
            "explains how they communicate the decision to the people who lose out. A weak answer "
            "applies a scoring formula mechanically or builds whatever the loudest stakeholder "
            "asks for."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "product-manager",
        "stage": "technical",
        "text": (
            "Before committing the team to build a new feature, how would you check that the "
            "problem is real and worth solving?"
        ),
        "rubric": (
            "Covers customer interviews focused on past behaviour rather than opinions, looking at "
            "existing data and support tickets, and cheap tests such as a prototype, a fake-door "
            "test or a concierge version. Signals: defines what evidence would make them drop the "
            "idea. A weak answer asks customers whether they would use the feature and treats yes "
            "as validation."
        ),
        "min_experience": 0,
        "max_experience": 3,
    },
    {
        "position": "product-manager",
        "stage": "technical",
        "text": (
            "Sales is pushing for a feature a big prospect is asking for, while engineering wants "
            "to spend the quarter paying down technical debt. How would you handle that?"
        ),
        "rubric": (
            "A strong answer digs into the real need on both sides: the deal's value and timing, "
            "and what the debt is costing in incidents or delivery speed. Signals: looks for "
            "options beyond either-or, such as a smaller version for the prospect or debt work "
            "that unblocks it, makes the trade-off explicit with data, and knows who makes the "
            "final call. A weak answer picks a side based on seniority or splits the capacity in "
            "half without reasoning."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    {
        "position": "product-manager",
        "stage": "technical",
        "text": (
            "Suppose we launch a saved searches feature in a marketplace app. What metrics would "
            "tell you whether it is working?"
        ),
        "rubric": (
            "Covers adoption such as the share of active users saving a search, engagement such as "
            "return visits from saved-search alerts, and the business outcome such as purchases or "
            "retention for users who adopt. Signals: names one primary success metric, a guardrail "
            "such as notification opt-outs, and how they would separate correlation from "
            "causation. A weak answer lists many vanity metrics with no primary measure of "
            "success."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "product-manager",
        "stage": "technical",
        "text": (
            "You come in on Monday and see that daily sign-ups dropped twenty percent over the "
            "weekend. How would you figure out what happened?"
        ),
        "rubric": (
            "A good answer first checks whether the data is real, such as tracking changes or "
            "pipeline failures, then segments the drop by platform, country, traffic source and "
            "funnel step. Signals: looks for recent releases, marketing changes, outages or "
            "seasonality, and moves from hypotheses to checks. A weak answer immediately assumes a "
            "cause without segmenting."
        ),
        "min_experience": 0,
        "max_experience": 3,
    },
    {
        "position": "product-manager",
        "stage": "technical",
        "text": (
            "It is launch day. Most checks are green, but one enterprise customer has reported a "
            "serious bug that affects only their setup. How do you decide whether to go or not?"
        ),
        "rubric": (
            "A strong answer weighs the severity and reach of the bug, whether it can be mitigated "
            "with a feature flag or staged rollout, and the cost of delay, including commitments "
            "made to others. Signals: agreed go or no-go criteria in advance, communicates "
            "directly with the affected customer, and makes a clear call with a rollback plan. A "
            "weak answer either always ships or always delays without reasoning through the "
            "options."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    {
        "position": "product-manager",
        "stage": "technical",
        "text": (
            "How would you write a spec for a new feature so that engineering and design can start "
            "working on it? Tell me what you would put in it and what you would leave out."
        ),
        "rubric": (
            "Covers the problem and who has it, goals and success metrics, scope and explicit "
            "non-goals, key user flows, edge cases and open questions. Signals: leaves the "
            "solution details to engineering and design where appropriate, and treats the spec as "
            "a living document reviewed with the team. A weak answer is a long list of UI "
            "requirements with no problem statement or success criteria."
        ),
        "min_experience": 0,
        "max_experience": 3,
    },
    {
        "position": "product-manager",
        "stage": "technical",
        "text": (
            "We want to introduce a paid tier to a product that has always been free. How would "
            "you decide what goes into the paid tier and how to price it?"
        ),
        "rubric": (
            "Strong answers segment users by the value they get and their willingness to pay, and "
            "put features that matter most to high-value segments behind the paywall without "
            "breaking the free experience. Signals: uses research such as willingness-to-pay "
            "surveys or pricing tests, considers value metrics such as seats or usage, and plans "
            "for the reaction of existing users. A weak answer sets a price by copying a "
            "competitor with no view on value."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    {
        "position": "product-manager",
        "stage": "technical",
        "text": (
            "Your engineering team says the feature you planned will take twice as long as "
            "expected, and the launch date is fixed. What would you do?"
        ),
        "rubric": (
            "A good answer goes back to the goal and cuts scope to the smallest version that still "
            "solves the core problem, working with engineering on what is expensive and why. "
            "Signals: explicitly decides what is deferred, communicates the change to stakeholders "
            "early, and avoids simply asking the team to work harder. A weak answer pushes the "
            "team to hit the original scope or silently lets the date slip."
        ),
        "min_experience": 0,
        "max_experience": 3,
    },
    {
        "position": "product-manager",
        "stage": "technical",
        "text": (
            "An old feature is used by about five percent of users but costs the team a lot to "
            "maintain. How would you decide whether to remove it, and how would you roll that out?"
        ),
        "rubric": (
            "Covers understanding who those users are and how much they matter, for example large "
            "paying accounts, the real maintenance cost, and any alternatives you can offer them. "
            "Signals: plans communication, a migration path, a deprecation timeline and a way to "
            "measure the impact on retention or support load. A weak answer removes it because "
            "usage is low, without looking at who the users are."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    # product-manager, behavioral
    {
        "position": "product-manager",
        "stage": "behavioral",
        "text": (
            "Tell me about a product or feature you shipped that you are proud of. What was your "
            "role, and how did you know it was successful?"
        ),
        "rubric": (
            "A good answer explains the problem, the candidate's own decisions, and a measurable "
            "outcome. Signals: separates their contribution from the team's, explains trade-offs "
            "made along the way, and uses real numbers or user evidence for success. A weak answer "
            "describes the feature list without any outcome or personal decision."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "product-manager",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you had to make an important product decision without enough "
            "data. How did you decide?"
        ),
        "rubric": (
            "Looks for a structured way of deciding under uncertainty: identifying the key "
            "assumptions, gathering the quickest evidence available, and judging whether the "
            "decision was reversible. Signals: set a point to revisit the decision and followed up "
            "on it. A weak answer either stalls waiting for data or describes a pure gut call with "
            "no reasoning."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "product-manager",
        "stage": "behavioral",
        "text": (
            "Tell me about a launch or initiative that did not achieve what you hoped. What "
            "happened, and what did you learn?"
        ),
        "rubric": (
            "A good answer honestly owns the miss, analyses why it happened, and describes what "
            "was changed in the product or their process. Signals: no blaming others, specific "
            "lessons that show up in later work. A weak answer picks a trivial failure or one that "
            "was entirely someone else's fault."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "product-manager",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you strongly disagreed with an engineer or designer on your "
            "team. How did you work through it?"
        ),
        "rubric": (
            "Looks for respect for the other discipline's expertise, getting to the root of the "
            "disagreement, and using users or data to resolve it. Signals: was willing to be "
            "persuaded, reached a decision, and kept the working relationship strong. A weak "
            "answer pulls rank as the product owner or avoids the conflict."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "product-manager",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you had to say no to a customer or an important stakeholder. How "
            "did you do it?"
        ),
        "rubric": (
            "A good answer explains the reasoning behind the no, rooted in goals and priorities, "
            "and delivers it clearly and early. Signals: understands what the person really "
            "needed, offers an alternative or a path to yes later, and keeps the relationship. A "
            "weak answer never says no, or says it without explanation."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "product-manager",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you had to get several teams that did not report to you aligned "
            "on a shared goal or plan. What did you do?"
        ),
        "rubric": (
            "Strong answers show influence without authority: understanding each team's "
            "priorities, framing the goal in terms that mattered to them, and making commitments "
            "and trade-offs explicit in writing. Signals: handles a team that resists, uses "
            "escalation only as a last resort, and describes a concrete result. A weak answer "
            "relies on leadership mandating the plan."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
    {
        "position": "product-manager",
        "stage": "behavioral",
        "text": (
            "Tell me about a piece of critical feedback you received as a product manager, and "
            "what you changed as a result."
        ),
        "rubric": (
            "Looks for a specific piece of feedback, openness in how it was received, and a "
            "lasting behaviour change. Signals: self-awareness and evidence the change stuck. A "
            "weak answer presents a disguised strength or cannot name any feedback."
        ),
        "min_experience": 0,
        "max_experience": 60,
    },
    {
        "position": "product-manager",
        "stage": "behavioral",
        "text": (
            "Tell me about a time you coached another product manager or improved how your product "
            "team works, for example how it plans or makes decisions."
        ),
        "rubric": (
            "Looks for concrete actions such as introducing a planning or review practice, "
            "coaching someone through a difficult launch, or clarifying decision rights. Signals: "
            "explains why the change was needed and shows a visible improvement. A weak answer is "
            "vague, such as sharing best practices, with no example of impact."
        ),
        "min_experience": 4,
        "max_experience": 60,
    },
]
