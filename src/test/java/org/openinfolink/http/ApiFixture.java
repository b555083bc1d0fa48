package org.openinfolink.http;

import java.util.List;
import org.openinfolink.testsupport.TestHome;

/**
 * The configuration home most HTTP tests run on: app {@code 7} on the embedded database with
 * scenarios that answer, fail, run long or are invalid; app {@code 8}; and clients with different
 * grants. The keys are fields, made fresh for each home. Public for the browser tests
 * ({@code org.openinfolink.browser}).
 */
public final class ApiFixture {

    /** A query H2 works on for hours, and cancels within milliseconds. */
    static final String SLOW_QUERY = "SELECT SUM(\"X\") AS total FROM SYSTEM_RANGE(1, 100000000000)";

    public final TestHome home;
    /** May use every app, RunScenario only. */
    public final String allAppsKey;
    /** May use app 7 only, RunScenario only. */
    public final String app7Key;
    /** May use app 7 only, every operation. */
    public final String adminKey;
    /** May use app 8 only. */
    public final String app8Key;

    public ApiFixture(String name, String settingsYaml) {
        home = TestHome.create(name);
        if (settingsYaml != null) {
            home.settings(settingsYaml);
        }
        allAppsKey = home.client("all-apps", List.of("*"), null);
        app7Key = home.client("app7", List.of("7"), null);
        adminKey = home.client("admin", List.of("7"), "[RunScenario, Transform, RunSourceScript, SetVariable]");
        app8Key = home.client("app8", List.of("8"), null);

        home.app("7", """
                name: CRM
                description: Customer master data
                variables:
                  region: EU
                """);
        home.scenario("7", "Companies", """
                description: Companies of one country
                parameters:
                  country: {type: text, required: true}
                  minId:   {type: integer, default: 0}
                steps:
                  - opName: RunSourceScript
                    title: companies table
                    opParams:
                      script: |
                        CREATE TABLE IF NOT EXISTS companies (
                          id INTEGER PRIMARY KEY, company_name VARCHAR(100), country VARCHAR(2));
                        MERGE INTO companies KEY (id) VALUES (1, 'IBM', 'US'), (2, 'Microsoft', 'US'),
                          (3, 'SAP', 'DE'), (4, 'Siemens', 'DE');
                  - opName: Transform
                    title: companies
                    opParams:
                      query: |
                        SELECT id, company_name FROM companies
                        WHERE country = ${country} AND id >= ${minId} ORDER BY id
                      returnResult: true
                      resultName: companies
                """);
        home.scenario("7", "Slow", """
                description: Runs until stopped
                steps:
                  - opName: Transform
                    title: first
                    opParams:
                      query: SELECT 1 AS one
                      returnResult: true
                      resultName: first
                  - opName: Transform
                    title: endless sum
                    opParams:
                      query: %s
                      returnResult: true
                      resultName: total
                """.formatted(SLOW_QUERY));
        home.scenario("7", "Sticky", """
                description: A statement that ignores cancellation for 1.5 s, so a stop takes that long
                steps:
                  - opName: RunSourceScript
                    opParams:
                      script: CREATE ALIAS IF NOT EXISTS SLEEP_MS FOR "java.lang.Thread.sleep"
                  - opName: Transform
                    title: sleep
                    opParams:
                      query: SELECT SLEEP_MS(1500) AS slept
                      returnResult: true
                      resultName: slept
                """);
        home.scenario("7", "FailsHalfway", """
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT 'kept' AS word
                      returnResult: true
                      resultName: before
                  - opName: Transform
                    title: missing table
                    opParams:
                      query: SELECT id FROM no_such_table
                      returnResult: true
                      resultName: never
                """);
        home.scenario("7", "Broken", """
                steps:
                  - opName: Transform
                    opParams:
                      returnResult: true
                """);
        home.app("8", "name: Other\n");
        home.scenario("8", "Hello", """
                steps:
                  - opName: Transform
                    opParams:
                      query: SELECT 'hello' AS greeting
                      returnResult: true
                      resultName: hello
                """);
    }
}
