package dev.ministramanager.imports;

import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ministramanager.companies.Companies;
import dev.ministramanager.api.ApiReply;
import dev.ministramanager.api.ProblemException;
import dev.ministramanager.security.ApiGate;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The REST side of imports: a dry run answers at once with what would happen; a real run is stored as a job, started
 * on this node and answered 202 with its id; a job is read with its progress, and its report as CSV.
 */
public class ImportsApi {

    private static final String CSV = "csv";
    private static final String MINISTRA = "ministra";

    private final ImportJobs jobs;
    private final ImportRunner runner;
    private final CsvImport csv;
    private final MinistraImport ministra;
    private final Companies companies;
    private final long csvMaxBytes;

    public ImportsApi(ImportJobs jobs, ImportRunner runner, CsvImport csv, MinistraImport ministra,
                      Companies companies, long csvMaxBytes) {
        this.jobs = jobs;
        this.runner = runner;
        this.csv = csv;
        this.ministra = ministra;
        this.companies = companies;
        this.csvMaxBytes = csvMaxBytes;
    }

    /** {@code POST /companies/{companyId}/imports/ministra}. */
    public void fromMinistra(Exchange exchange) {
        long companyId = ApiGate.requireCompany(exchange);
        companies.get(companyId);
        if (dryRun(exchange)) {
            try {
                ApiReply.of(200, ministra.dryRun(companyId)).writeTo(exchange);
            } catch (ImportRunner.ImportFailed refused) {
                // a listing longer than this installation imports: the job would fail the same way
                throw new ProblemException(422, "Import refused", refused.getMessage(), Map.of());
            }
            return;
        }
        started(exchange, jobs.create(companyId, MINISTRA, actor(exchange), null));
    }

    /** {@code POST /companies/{companyId}/imports/csv}: the body is the file. */
    public void fromCsv(Exchange exchange) {
        long companyId = ApiGate.requireCompany(exchange);
        companies.get(companyId);
        byte[] file = exchange.getMessage().getBody(byte[].class);
        if (file == null || file.length == 0) {
            throw ProblemException.invalidField("file", "The request body must be the CSV file.");
        }
        if (file.length > csvMaxBytes) {
            throw new ProblemException(413, "Payload too large", "The file has " + file.length + " bytes; the limit"
                    + " is " + csvMaxBytes + " (mm.imports.csv-max-bytes).", Map.of("field", "file"));
        }
        if (dryRun(exchange)) {
            ApiReply.of(200, csv.dryRun(companyId, file)).writeTo(exchange);
            return;
        }
        CsvRows.checkHeader(file);
        started(exchange, jobs.create(companyId, CSV, actor(exchange), file));
    }

    /** {@code GET /imports/{id}}. */
    public Map<String, Object> get(Exchange exchange) {
        return jobs.view(id(exchange), companyIds(exchange));
    }

    /** {@code GET /imports/{id}/report}: every row's outcome as CSV. */
    public void report(Exchange exchange) throws IOException {
        long id = id(exchange);
        jobs.find(id, companyIds(exchange));
        StringWriter report = new StringWriter();
        jobs.writeReport(id, report);
        Message message = exchange.getMessage();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, "text/csv; charset=utf-8");
        message.setBody(report.toString());
    }

    private void started(Exchange exchange, long jobId) {
        runner.start(jobId);
        Map<String, Object> body = new LinkedHashMap<>(jobs.view(jobId, companyIds(exchange)));
        new ApiReply(202, body, "/api/v1/imports/" + jobId, null, false).writeTo(exchange);
    }

    private static boolean dryRun(Exchange exchange) {
        String raw = exchange.getMessage().getHeader("dryRun", String.class);
        if (raw == null || raw.equals("false")) {
            return false;
        }
        if (raw.equals("true")) {
            return true;
        }
        throw ProblemException.invalidField("dryRun", "Parameter 'dryRun' must be true or false.");
    }

    private static long id(Exchange exchange) {
        String raw = exchange.getMessage().getHeader("id", String.class);
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw ProblemException.notFound("Import '" + raw + "' not found.");
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Long> companyIds(Exchange exchange) {
        return exchange.getVariable(ApiGate.COMPANY_IDS, List.class);
    }

    private static String actor(Exchange exchange) {
        return exchange.getVariable(ApiGate.ACTOR, String.class);
    }
}
